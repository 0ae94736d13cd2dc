# An instance referencing itself.
import gc
gc.disable()
gc.collect()

class A:
    pass

a = A()
a.me = a
del a
print(gc.collect())
