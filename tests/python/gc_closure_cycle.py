# A function that refers to itself through its closure cell is a cycle
# (function -> closure tuple -> cell -> function).
import gc
gc.disable()
gc.collect()

def make():
    def f():
        return f
    return f

g = make()
print(g() is g)
del g
print(gc.collect())
