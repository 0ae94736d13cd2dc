# Under DEBUG_SAVEALL finalizers still run once; the objects are then kept in gc.garbage.
import gc
gc.disable()
gc.collect()

class D:
    def __del__(self):
        print("del", self.name)

gc.set_debug(gc.DEBUG_SAVEALL)
a = D(); a.name = "a"; a.me = a
del a
print(gc.collect())
print([o.name for o in gc.garbage])
gc.set_debug(0)
gc.garbage.clear()
print("cleared")
