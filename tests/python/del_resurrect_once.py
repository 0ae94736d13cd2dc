# A __del__ that resurrects its object runs once: when the object dies again, by refcounting,
# __del__ is not called a second time (CPython marks GC objects finalized).
import gc
saved = []

class Phoenix:
    def __del__(self):
        print("__del__ runs")
        saved.append(self)

p = Phoenix()
del p
print(len(saved), gc.is_finalized(saved[0]))
saved.clear()
print("cleared, no second __del__")
