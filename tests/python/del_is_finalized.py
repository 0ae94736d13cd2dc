# gc.is_finalized turns True once the collector has run an object's __del__.
import gc
gc.disable()
gc.collect()
keep = []

class Lazarus:
    def __del__(self):
        keep.append(self)

x = Lazarus()
print(gc.is_finalized(x))
x.me = x
del x
gc.collect()
print(gc.is_finalized(keep[0]))
print(gc.is_finalized(object()))
