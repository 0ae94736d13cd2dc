# In a dead cycle, weak references are cleared (and their callbacks run) before any __del__:
# a finalizer can no longer reach its neighbours through weakrefs.
import gc
import weakref
gc.disable()
gc.collect()
log = []

class N:
    def __del__(self):
        log.append("del " + self.name + ", weak peer is " + repr(self.peer_ref()))

a = N(); a.name = "a"
b = N(); b.name = "b"
a.b = b; b.a = a
a.peer_ref = weakref.ref(b)
b.peer_ref = weakref.ref(a)
ra = weakref.ref(a, lambda r: log.append("callback a"))
del a, b
print(gc.collect())
for line in log:
    print(line)
