# With thresholds (t, 10, 10), generation 1 is collected on every tenth gen-0 collection.
import gc
gc.collect()
gens = []

def cb(phase, info):
    if phase == "start":
        gens.append(info["generation"])

class A:
    pass

gc.set_threshold(10, 10, 10)
gc.callbacks.append(cb)
keep = []
for i in range(2000):
    keep.append(A())
gc.callbacks.remove(cb)
print(0 in gens, 1 in gens)
first_one = gens.index(1)
print(first_one >= 9)
