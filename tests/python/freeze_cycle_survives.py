# A frozen dead cycle is not collected until unfreeze.
import gc
gc.disable()
gc.collect()

class A:
    pass

a = A(); a.me = a
del a
gc.freeze()
print(gc.collect())
gc.unfreeze()
print(gc.collect())
