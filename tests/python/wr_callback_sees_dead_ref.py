# A weakref callback may resurrect nothing: the referent is gone when it runs, and a callback
# that creates new weak references to other objects works.
import weakref

class A:
    pass

keep = A()
seen = []

def cb(r):
    seen.append(r() is None)
    seen.append(weakref.ref(keep)() is keep)

a = A()
r = weakref.ref(a, cb)
del a
print(seen)
