# A tuple of atoms is untracked by the first collection that examines it.
import gc
gc.disable()
t = tuple([1, 2, 3])
print(gc.is_tracked(t))
gc.collect()
print(gc.is_tracked(t))
u = tuple([[], 1])
gc.collect()
print(gc.is_tracked(u))
