# A weakref that dies in the same cycle as its referent never calls back.
import gc
import weakref
gc.disable()
gc.collect()
log = []

class N:
    pass

a = N()
a.me = a
a.wr = weakref.ref(a, lambda r: log.append("called"))
del a
print(gc.collect())
print(log)
