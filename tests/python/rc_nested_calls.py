# Each active frame that binds the object adds one reference.
import sys

def inner(x):
    return sys.getrefcount(x)

def outer(x):
    return inner(x)

def outer2(x):
    y = x
    return inner(y)

o = object()
print(inner(o))
print(outer(o))
print(outer2(o))
