# An instance and a list in one cycle.
import gc
gc.disable()
gc.collect()

class Holder:
    pass

h = Holder()
h.items = [h]
del h
print(gc.collect())
