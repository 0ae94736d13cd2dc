# Objects created after freeze are collected as usual.
import gc
gc.disable()
gc.collect()

class A:
    pass

gc.freeze()
a = A(); a.me = a
del a
print(gc.collect())
gc.unfreeze()
print(gc.collect())
