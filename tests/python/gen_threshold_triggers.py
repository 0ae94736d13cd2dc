# A gen-0 collection starts once allocations minus deallocations pass threshold 0:
# callbacks report when.
import gc
gc.collect()
events = []

def cb(phase, info):
    if phase == "start":
        events.append(info["generation"])

class A:
    pass

gc.set_threshold(5, 1000, 1000)
gc.callbacks.append(cb)
keep = []
for i in range(20):
    keep.append(A())
gc.callbacks.remove(cb)
print(len(events) >= 2, set(events))
