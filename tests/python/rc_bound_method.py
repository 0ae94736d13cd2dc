# A bound method references its instance.
import sys

class A:
    def m(self):
        return 1

a = A()
print(sys.getrefcount(a))
m = a.m
print(sys.getrefcount(a))
del m
print(sys.getrefcount(a))
print(m2() if (m2 := a.m) else None)
del m2
print(sys.getrefcount(a))
