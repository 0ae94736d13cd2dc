# A cycle whose finalizer resurrects it: the collector frees nothing this time.
import gc
gc.disable()
gc.collect()
saved = []

class Phoenix:
    def __del__(self):
        print("del", self.name)
        saved.append(self)

a = Phoenix(); a.name = "a"
b = Phoenix(); b.name = "b"
a.b = b
b.a = a
del a, b
print(gc.collect())
print(len(saved), gc.is_finalized(saved[0]))
saved.clear()
print(gc.collect())
