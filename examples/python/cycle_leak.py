# A reference cycle: refcounting alone never frees it; the cyclic collector does.
#
#   pyheap run examples/python/cycle_leak.py      (same output under python3)
import gc
import weakref

gc.disable()   # no automatic collection: we decide when the collector runs
gc.collect()


class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None


a = Node("a")
b = Node("b")
a.peer = b
b.peer = a
watch = weakref.ref(a)
print("a <-> b built; a is alive:", watch() is not None)
del a, b
print("names deleted; a is still alive:", watch() is not None, "(the cycle keeps it)")
print("gc.collect() found", gc.collect(), "unreachable objects")
print("a is alive after the collection:", watch() is not None)

print()
print("A leak that grows: each request leaves a two-node cycle behind.")
probes = []
for request in range(1000):
    left = Node("left")
    right = Node("right")
    left.peer = right
    right.peer = left
    probes.append(weakref.ref(left))
del left, right
alive = sum(1 for p in probes if p() is not None)
print("cycles still in memory:", alive)
print("gc.collect() ->", gc.collect())
print("cycles still in memory:", sum(1 for p in probes if p() is not None))

print()
print("Breaking the cycle by hand lets refcounting free it at once:")
a = Node("a")
b = Node("b")
a.peer, b.peer = b, a
watch = weakref.ref(a)
a.peer = None
del a, b
print("a alive:", watch() is not None, "- gc.collect() ->", gc.collect())
