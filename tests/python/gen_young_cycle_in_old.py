# A young collection cannot free a cycle that an older object still references; the cycle
# survives into generation 1, so once unreferenced only a gen-1 collection frees it.
import gc
gc.disable()
gc.collect()

class A:
    pass

old = A()
gc.collect()
a = A(); b = A(); a.b = b; b.a = a
old.ref = a
del a, b
print(gc.collect(0))
del old.ref
print(gc.collect(0))
print(gc.collect(1))
