# The callback runs when the referent dies, with the dead weakref as argument.
import weakref

class A:
    pass

def cb(ref):
    print("callback, referent now", ref())

a = A()
r = weakref.ref(a, cb)
print("deleting")
del a
print("after")
