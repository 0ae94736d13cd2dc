# A suspended generator in a dead cycle is finalized by the collector (PEP 442): its finally
# block runs during gc.collect(), before the cycle is cleared, and gc.is_finalized says so.
import gc
gc.disable()
gc.collect()

class Holder:
    pass

def worker(holder, log):
    try:
        yield "working"
    finally:
        log.append("finally ran, holder still has gen: " + str(hasattr(holder, "gen")))

log = []
h = Holder()
h.gen = worker(h, log)
print(next(h.gen))
probe = h.gen
del h
print(gc.is_finalized(probe))
del probe
print(log)
print(gc.collect() >= 0)
print(log)
