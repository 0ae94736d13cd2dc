# Iterating a view while its dict changes raises CPython's RuntimeErrors.
d = {'a': 1, 'b': 2}
for view in (d.keys(), d.values(), d.items()):
    try:
        for x in view:
            d['n%d' % len(d)] = 0
    except RuntimeError as e:
        print(type(view).__name__, "RuntimeError:", e)
print(len(d))
d = {i: i for i in range(4)}
try:
    for key, val in d.items():
        del d[key]
except RuntimeError as e:
    print("RuntimeError:", e)
print(d)
d = {'x': 1, 'y': 2}
it = iter(d.values())
print(next(it))
d['x'] = 100  # changing a value is not a size change
print(list(it))
it = iter(d.items())
d.pop('x')
d['z'] = 5  # same size, other keys
try:
    print(next(it))
except RuntimeError as e:
    print("RuntimeError:", e)
it = iter(d.keys())
d['w'] = 0
try:
    next(it)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    next(it)
except StopIteration:
    print("exhausted after the error")
except RuntimeError as e:
    print("again RuntimeError:", e)
