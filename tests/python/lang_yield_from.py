# yield from delegates to a sub-generator and returns its value.
def inner():
    yield "a"
    yield "b"
    return "inner done"

def outer():
    result = yield from inner()
    yield result
    yield from range(2)

print(list(outer()))

def flatten(items):
    for it in items:
        if isinstance(it, list):
            yield from flatten(it)
        else:
            yield it

print(list(flatten([1, [2, [3, 4]], [], 5])))
