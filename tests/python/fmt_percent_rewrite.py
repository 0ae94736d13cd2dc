# `"..." % (a, b)` with only %s/%r/%a becomes an f-string in CPython 3.11's optimiser: same
# text as the run-time `%`, no argument tuple (gc.get_count() sees none); other formats and
# mismatched counts stay run-time `%` with their errors.
import gc


class P:
    def __str__(self):
        return "P-str"

    def __repr__(self):
        return "P-repr"

    def __format__(self, spec):
        return "P-format(" + spec + ")"


x, y, s, p, t = 42, 3.5, "héllo", P(), (1, 2)
print("x=%s y=%r s=%a" % (x, y, s))
print("[%5s] [%-5s] [%.2s] [%7.3s] [%05s] [%+s]" % (s, s, s, s, x, x))
print("%s|%r|%a" % (p, p, p))
print("%s and %s" % (t, [t]))
print("100%% of %s" % (x,))
print(f"{p!s:>8}|{p:>8}|{p!r}|{p}")
print("%d items, %s" % (x, s))
print("%(a)s" % {"a": x})
print("%10s|%-10r|" % (x, s))
for bad in ("%s %s", "%s"):
    try:
        print(bad % (x,) if bad == "%s %s" else bad % (x, y))
    except TypeError as e:
        print("TypeError:", e)
# No tuple is made for the rewritten form; the %d one builds its tuple.
v = 7
gc.collect()
a = gc.get_count()[0]
for i in range(50):
    r = "%s-%r" % (v, v)
b = gc.get_count()[0]
for i in range(50):
    r = "%d-%d" % (v, v)
c = gc.get_count()[0]
print("rewritten:", b - a, "run time:", c - b)
