# gc.callbacks receive ("start", info) and ("stop", info) around each collection.
import gc
gc.disable()
gc.collect()
log = []

def cb(phase, info):
    log.append((phase, info["generation"], info["collected"], info["uncollectable"]))

class A:
    pass

gc.callbacks.append(cb)
a = A(); a.me = a; del a
gc.collect()
gc.collect(1)
gc.callbacks.remove(cb)
for entry in log:
    print(entry)
