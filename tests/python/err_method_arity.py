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
