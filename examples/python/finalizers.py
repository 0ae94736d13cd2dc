# Finalizers: __del__ runs when refcounting frees an object, once; in a dead cycle the
# collector calls every finalizer first (PEP 442), clears weak references before that, and a
# finalizer may resurrect its object.
#
#   pyheap run examples/python/finalizers.py      (same output under python3)
import gc
import weakref

gc.disable()
gc.collect()


class Resource:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print(f"  __del__({self.name})")


print("1. refcounting: __del__ runs at the del")
r = Resource("file")
del r

print("2. a cycle: nothing happens at the del, the collector finalizes then frees")
a = Resource("a")
b = Resource("b")
a.peer, b.peer = b, a
del a, b
print("  (after del)")
print("  gc.collect() ->", gc.collect())

print("3. weak references are cleared before any finalizer runs")
log = []
a = Resource("a")
a.me = a
wr = weakref.ref(a, lambda ref: log.append("weakref callback"))
del a
gc.collect()
print("  callback ran:", log)

print("4. resurrection: a finalizer stores self somewhere reachable")
graveyard = []


class Phoenix:
    def __del__(self):
        print("  __del__(phoenix), resurrecting")
        graveyard.append(self)


p = Phoenix()
p.me = p
del p
print("  gc.collect() ->", gc.collect())
print("  resurrected:", len(graveyard), "- finalized already:", gc.is_finalized(graveyard[0]))
graveyard.clear()
print("  gc.collect() ->", gc.collect(), "(no second __del__)")

print("5. gc.garbage with DEBUG_SAVEALL keeps what the collector found")
gc.set_debug(gc.DEBUG_SAVEALL)
x = Resource("saved")
x.me = x
del x
gc.collect()
print("  gc.garbage holds", [type(o).__name__ for o in gc.garbage])
gc.set_debug(0)
gc.garbage.clear()
gc.collect()
print("end")
