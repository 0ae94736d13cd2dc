# Generations: young objects are examined often, survivors move to older generations, and
# thresholds decide when each generation is collected.
#
#   pyheap run examples/python/generations.py      (same output under python3)
#   pyheap run --threshold 100,10,10 examples/python/generations.py
import gc

gc.disable()
gc.collect()
print("thresholds:", gc.get_threshold())


class Thing:
    pass


def generation_of(obj):
    for g in range(3):
        if any(o is obj for o in gc.get_objects(g)):
            return g
    return None


survivor = Thing()
print("a new object starts in generation", generation_of(survivor))
gc.collect(0)
print("after surviving a gen-0 collection:", generation_of(survivor))
gc.collect(1)
print("after surviving a gen-1 collection:", generation_of(survivor))

print()
print("Counting: get_count()[0] is allocations minus deallocations since the last collection.")
gc.collect()
start = gc.get_count()[0]
t1 = Thing()
t2 = Thing()
t3 = Thing()
c1 = gc.get_count()[0]
print("3 new instances raised it by at least 3:", c1 - start >= 3)
del t1, t2
c2 = gc.get_count()[0]
print("freeing two of them lowers it again:", c2 < c1)

print()
print("Automatic collections with a small threshold (gc.callbacks report each one):")
seen = {0: 0, 1: 0, 2: 0}


def on_gc(phase, info):
    if phase == "start":
        seen[info["generation"]] += 1


gc.collect()
gc.set_threshold(50, 5, 5)
gc.callbacks.append(on_gc)
gc.enable()
keep = []
for i in range(3000):
    keep.append(Thing())
gc.disable()
gc.callbacks.remove(on_gc)
print("gen-0 collections happened:", seen[0] > 0)
print("gen-1 collections happened:", seen[1] > 0)
print("gen-0 ran more often than gen-1:", seen[0] > seen[1])
print("keep is in the oldest generations:", generation_of(keep) in (1, 2))
