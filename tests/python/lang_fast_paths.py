# The interpreter's short paths (vm/fast.rs) give the general path's answers: calls of
# built-in functions and methods with arguments on the stack, f-string pieces, float
# arithmetic on temporaries, list/tuple items by int index.

# Built-in calls: results, errors and messages.
d = {}
print(d.get("k", 0), d.get("k"), "ab".upper(), [1, 2].pop(), len("abc"), max(1, 2))
print(sorted([3, 1, 2]), "x".join(["a", "b"]), min([4, 5]), abs(-3), divmod(7, 2))
for bad in (lambda: len([].append), lambda: max(), lambda: [].pop(), lambda: "a".join([1])):
    try:
        bad()
    except (TypeError, IndexError) as e:
        print(type(e).__name__, e)
m = [].append
print(m(1), [].count(1))

# f-strings: strs as they are, ints as digits, everything else through format().
s = "ab"
n = 12
print(f"{s}", f"{n}", f"{-n}", f"{0}", f"{2**70}", f"{-2**63}", f"{2**63 - 1}")
print(f"{True}{None}{1.5}{[1, 'x']}{(2,)}", f"<{s!r}>", f"{n:>5}|{s:^6}|")
print(f"", f"{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}", f"a{s}b{n}c{s}d")
print(f"{s}" is s, f"{'é'}{'ü'}x", len(f"{'é'}{n}"))

# Floats: results equal CPython's bit for bit, operands left intact.
a = 1.5
b = a * 2.0
c = (a + b) * (a - b) / 4.0 + 1.0
print(a, b, c, 0.1 + 0.2, 1.0 / 3.0, 3.0 - 0.5, -0.0 * 1.0, 1e308 * 10.0)
try:
    a / 0.0
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)
x = [1.0, 2.0, 3.0]
y = x
x[0] += 1.5
x[1] *= x[0]
x[-1] -= 0.25
print(x, y is x, x[0] is x[0])
t = 2.5
u = t + 0.0
print(t, u, t == u, 5.0 % 3.0, 2.0**0.5, 1.0 + 2, 2 * 1.5)

# Items by index: negative indexes, ranges, bools and errors.
l = [10, 20, 30]
tp = (1, 2, 3)
print(l[0], l[-1], tp[-3], tp[2], l[True], "abc"[1], l[-3])
for bad in (lambda: l[3], lambda: l[-4], lambda: tp[3], lambda: l["a"], lambda: tp[1.0]):
    try:
        bad()
    except (IndexError, TypeError) as e:
        print(type(e).__name__, e)
l[1] = "x"
l[-1] = None
print(l)
def store(o, i):
    o[i] = 1


for o, i in ((l, 3), (l, -4), (tp, 0)):
    try:
        store(o, i)
    except (IndexError, TypeError) as e:
        print(type(e).__name__, e)
