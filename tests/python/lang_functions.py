# Defaults, keyword arguments, keyword-only, *args and **kwargs.
def f(a, b=2, *args, c, d=4, **kwargs):
    return a, b, args, c, d, kwargs

print(f(1, c=3))
print(f(1, 5, 6, 7, c=3, e=9))
print(f(*[1, 2, 3], **{"c": 0, "z": 1}))

def g(x, /, y, *, z):
    return x + y + z

print(g(1, 2, z=3), g(1, y=2, z=3))
try:
    g(x=1, y=2, z=3)
except TypeError as e:
    print(e)

def h(lst=[]):
    lst.append(1)
    return lst

print(h(), h(), h([0]))
print(f.__name__, (lambda: 0).__name__)
def doc():
    "A docstring."
print(doc.__doc__, doc())
