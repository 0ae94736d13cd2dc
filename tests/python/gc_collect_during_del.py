# Calling gc.collect() from a finalizer is harmless.
import gc
gc.disable()
gc.collect()

class D:
    def __del__(self):
        print("del, inner collect ->", gc.collect())

d = D()
del d
print("end")
