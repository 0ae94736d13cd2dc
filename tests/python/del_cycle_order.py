# __del__ in a cycle: CPython 3.4+ runs every finalizer, then frees the cycle.
import gc
gc.disable()
gc.collect()

class Named:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)

a = Named("a")
b = Named("b")
a.other = b
b.other = a
del a, b
print("collect ->", gc.collect())
print(gc.garbage)
