# A full collection resets the young count; gen 0 collections bump gen 1's count.
import gc
gc.disable()
gc.collect()
print(gc.get_count())
gc.collect(0)
print(gc.get_count())
gc.collect(0)
print(gc.get_count())
gc.collect(1)
print(gc.get_count())
gc.collect()
print(gc.get_count())
