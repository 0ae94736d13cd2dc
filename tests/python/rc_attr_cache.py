# Class attribute values and methods cached by look-ups keep CPython's reference counts.
import sys

class A:
    pass

v = object()
A.v = v
print(sys.getrefcount(v))
a = A()
for _ in range(5):
    a.v                                  # cached look-up along the MRO
print(sys.getrefcount(v))
class B(A):
    pass
b = B()
for _ in range(5):
    b.v
print(sys.getrefcount(v))
del A.v                                  # the class lets go: the count drops by one
print(sys.getrefcount(v))
print(hasattr(b, "v"))

def meth(self):
    return 1
A.meth = meth
print(sys.getrefcount(meth))
for _ in range(5):
    b.meth()
print(sys.getrefcount(meth))
del A.meth
print(sys.getrefcount(meth))
