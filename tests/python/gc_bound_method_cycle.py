# An instance storing its own bound method: instance -> method -> instance.
import gc
gc.disable()
gc.collect()

class A:
    def m(self):
        pass

a = A()
a.cb = a.m
del a
print(gc.collect())
