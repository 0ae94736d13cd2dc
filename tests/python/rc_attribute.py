# Instance attributes hold references.
import sys

class A:
    pass

a = A()
o = object()
a.x = o
print(sys.getrefcount(o))
a.y = o
print(sys.getrefcount(o))
del a.x
print(sys.getrefcount(o))
del a
print(sys.getrefcount(o))
