# Without DEBUG_SAVEALL, gc.garbage stays empty even for cycles with __del__ (PEP 442).
import gc
gc.disable()
gc.collect()

class D:
    def __del__(self):
        pass

a = D(); a.me = a
del a
print(gc.collect())
print(gc.garbage)
