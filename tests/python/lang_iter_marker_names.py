# The names CPython prints for its singletons' types and in the reprs of built-in iterators
# (the address part differs by design, so only the name is printed).
print(type(NotImplemented).__name__, type(Ellipsis).__name__, type(...).__name__)
print(NotImplemented, Ellipsis, ...)
for it in [iter([1]), iter((1,)), iter("ab"), iter(range(3)), iter({1: 2}), iter({1}),
           reversed([1, 2]), enumerate([]), zip(), map(len, []), filter(None, [])]:
    print(repr(it).split(" ")[0])
