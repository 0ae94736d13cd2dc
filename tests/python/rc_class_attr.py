# A class attribute is referenced by the class's dict.
import sys
o = object()

class A:
    attr = o

print(sys.getrefcount(o))
A.other = o
print(sys.getrefcount(o))
del A.attr
print(sys.getrefcount(o))
