# A dead cycle referencing a live object: the live one survives collection.
import gc
gc.disable()
gc.collect()

class A:
    pass

live = A()
live.name = "live"
a = A()
b = A()
a.b = b
b.a = a
a.ext = live
del a, b
print(gc.collect())
print(live.name)
