# repr of plain built-in objects: object() and slices.
o = object()
r = repr(o)
print(r.startswith('<object object at 0x'), r.endswith('>'))
print(repr(slice(1, 2)), repr(slice(None, 5, -1)), str(slice('a', None)))
print(type(o).__name__, type(slice(1)).__name__)
