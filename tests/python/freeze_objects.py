# Frozen objects are not in any generation's gc.get_objects(g).
import gc
gc.disable()
gc.collect()

class A:
    pass

a = A()
gc.freeze()
print(any(o is a for g in range(3) for o in gc.get_objects(g)))
print(any(o is a for o in gc.get_objects()))
gc.unfreeze()
print(any(o is a for o in gc.get_objects(2)))
