# Without cycles, collect finds nothing.
import gc
gc.disable()
gc.collect()

class A:
    pass

a = A()
b = A()
a.b = b
print(gc.collect())
del a
print(gc.collect())
del b
print(gc.collect())
