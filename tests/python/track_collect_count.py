# Untracked containers are not counted by the collector (nor freed by it).
import gc
gc.disable()
gc.collect()

class A:
    pass

a = A()
a.t = tuple([a])
del a
print(gc.collect())
