# `s[a:b]` (two-bound slices, compiled as BuildSlice(2); Subscr) on strs and other receivers:
# clamping, negative and missing bounds, big ints, bools, non-ASCII text, subclasses with their
# own __getitem__, and errors, all at one site.


def cut(o, a, b):
    return o[a:b]


s = "abcdefgh"
bounds = [None, 0, 2, -2, 3, 100, -100, 8, -8, 2**70, -(2**70), True, False]
for a in bounds:
    row = []
    for b in bounds:
        row.append(cut(s, a, b))
    print(repr(a), row)

print(cut("", 0, 5), cut("x", -1, None), cut("héllo wörld", 1, -1), cut("日本語テキスト", 2, None))


class Loud(str):
    def __getitem__(self, k):
        return "Loud[%s:%s]" % (k.start, k.stop)


class Quiet(str):
    pass


for o in [s, Loud("xyz"), Quiet("quiet"), [1, 2, 3, 4], (5, 6, 7), b"bytes"]:
    r = cut(o, 1, 3)
    print(type(o).__name__, type(r).__name__, r)


class Idx:
    def __index__(self):
        return 2


print(cut(s, Idx(), None), cut(s, None, Idx()))

for a, b in [(1.5, 2), ("a", None), (None, [])]:
    try:
        cut(s, a, b)
    except TypeError as e:
        print("TypeError:", e)

try:
    cut(42, 0, 1)
except TypeError as e:
    print("TypeError:", e)

# A slice kept in a variable and steps still go the general way.
sl = slice(1, None, 2)
print(s[sl], s[::-1], s[1:7:3], s[-1:0:-2])
# The pieces are new strs equal to the literal ones, usable as dict keys.
d = {}
for w in "alpha beta gamma alpine".split():
    d[w[:2]] = d.get(w[:2], 0) + 1
print(d)
# Bounds and steps past the i64 range clamp, in the general path too.
big = 2**70
print(s[::big], s[::-big], s[big:], s[-big::-1], s[1::big], [1, 2, 3][-big:big:big], (1, 2)[::-big])
# split by a one-byte separator (a char search) gives the substring search's pieces.
for t, sep in [("a b  c ", " "), ("", " "), ("xx", "x"), ("日本 語", " "), ("a,b,,c", ","), ("aXbXc", "X"), ("a\tb", "\t")]:
    print(t.split(sep), t.split(sep, 1))
