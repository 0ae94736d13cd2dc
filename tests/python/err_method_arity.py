# Methods of built-in types called with the wrong number of arguments: CPython's messages count
# the arguments after self, and fixed-arity methods name their type; str.join of a non-iterable.
def g():
    yield
cases = [
    lambda: {}.get(), lambda: {}.get(1, 2, 3), lambda: {}.setdefault(), lambda: {}.pop(),
    lambda: [].pop(1, 2), lambda: [].insert(1), lambda: [].extend(), lambda: [].remove(),
    lambda: [].count(), lambda: [].append(), lambda: [1].index(), lambda: (1,).index(),
    lambda: (1,).count(), lambda: "a".replace("a"), lambda: "a".join(), lambda: "a".join(1),
    lambda: "a".zfill(), lambda: slice(1).indices(), lambda: g().send(), lambda: g().throw(),
]
for c in cases:
    try:
        c()
        print("no error")
    except TypeError as e:
        print("TypeError:", e)
print("-".join(x for x in "abc"), "".join([]), ",".join(("x",)))
for c in [lambda: "a".upper(1), lambda: "a".lower(1), lambda: "a".title(1), lambda: "a".capitalize(1),
          lambda: "a".isdigit(1), lambda: "a".isalpha(1), lambda: "a".isspace(1), lambda: "a".isupper(1),
          lambda: "a".islower(1), lambda: "a".isalnum(1), lambda: "a".isidentifier(1),
          lambda: {}.keys(1), lambda: {}.values(1), lambda: {}.items(1), lambda: {}.clear(1),
          lambda: {}.copy(1), lambda: {}.popitem(1), lambda: [].clear(1), lambda: [].copy(1),
          lambda: [].reverse(1), lambda: set().copy(1), lambda: set().clear(1), lambda: set().pop(1),
          lambda: frozenset().copy(1)]:
    try:
        c()
        print("no error")
    except TypeError as e:
        print("TypeError:", e)
print("A".lower(), "a".upper(), "ab".title(), sorted({1: 2}.items()), [3, 1][::-1], len(set([1]).copy()))
for c in [lambda: "a".center(), lambda: "a".ljust(), lambda: "a".rjust(1, "x", 3)]:
    try:
        c()
    except TypeError as e:
        print("TypeError:", e)
print("a".center(5, "*"), "a".ljust(3, "-"), "a".rjust(3))
