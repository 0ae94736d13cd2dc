# Slotted instances take part in cycles and are collected.
import gc
gc.disable()
gc.collect()

class P:
    __slots__ = ("other",)

a = P(); b = P()
a.other = b; b.other = a
del a, b
print(gc.collect())
