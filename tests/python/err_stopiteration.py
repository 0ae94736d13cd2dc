# next() on an exhausted iterator raises StopIteration; a default avoids it.
it = iter([1])
print(next(it))
print(next(it, "default"))
try:
    next(it)
except StopIteration:
    print("StopIteration")
