# A generator that holds a reference to itself through its frame. The collector finalises
# the generator (close()) first, which breaks the cycle: refcounting frees it, collect counts 0.
import gc
gc.disable()
gc.collect()

class Box:
    pass

def gen(box):
    yield 1
    yield 2

b = Box()
g = gen(b)
b.g = g
next(g)
del b, g
print(gc.collect())
print(gc.collect())
