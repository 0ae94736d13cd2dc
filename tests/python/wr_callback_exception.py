# An exception in a weakref callback is reported and ignored.
import weakref

class A:
    pass

def cb(r):
    raise ValueError("bad callback")

a = A()
r = weakref.ref(a, cb)
del a
print("continued")
