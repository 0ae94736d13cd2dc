# Two unrelated cycles, collected together.
import gc
gc.disable()
gc.collect()

class A:
    pass

x = A(); y = A(); x.y = y; y.x = x
p = A(); p.p = p
del x, y, p
print(gc.collect())
