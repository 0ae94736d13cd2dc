# An argument seen from the callee: the caller's name, the callee's slot, the argument.
import sys

def f(x):
    return sys.getrefcount(x)

o = object()
print(f(o))

def g(x, y):
    return sys.getrefcount(x), sys.getrefcount(y)

print(g(o, o))
