# A weak reference to a member of a dead cycle is cleared by the collection.
import gc
import weakref
gc.disable()
gc.collect()

class N:
    pass

a = N(); b = N()
a.b = b; b.a = a
r = weakref.ref(a)
del a, b
print(r() is not None)
print(gc.collect())
print(r())
