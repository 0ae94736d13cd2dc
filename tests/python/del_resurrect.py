# A finalizer that resurrects its object: it survives, and __del__ never runs twice.
import gc
gc.disable()
gc.collect()
saved = []

class Phoenix:
    def __del__(self):
        print("del runs")
        saved.append(self)

p = Phoenix()
del p
print(len(saved))
q = saved.pop()
del q
print(len(saved))
print("end")
