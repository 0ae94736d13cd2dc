# When the collector is disabled, nothing collects automatically.
import gc
gc.disable()
gc.collect()
gc.set_threshold(10, 10, 10)

class Noisy:
    freed = 0
    def __del__(self):
        Noisy.freed += 1

for i in range(100):
    a = Noisy()
    a.me = a
del a
print(Noisy.freed)
gc.collect()
print(Noisy.freed)
