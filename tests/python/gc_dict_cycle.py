# A dict containing itself, and two dicts referencing each other.
import gc
gc.disable()
gc.collect()
d = {}
d["self"] = d
del d
print(gc.collect())
d1 = {}
d2 = {"d1": d1}
d1["d2"] = d2
del d1, d2
print(gc.collect())
