# A dict holding only atoms is not tracked; storing a container makes it tracked.
import gc
d = {}
print(gc.is_tracked(d))
d["a"] = 1
d["b"] = "x"
print(gc.is_tracked(d))
d["c"] = []
print(gc.is_tracked(d))
del d["c"]
print(gc.is_tracked(d))
e = {"k": (1, 2)}
print(gc.is_tracked(e))
