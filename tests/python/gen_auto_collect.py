# With a small threshold, automatic collections free cycles without gc.collect().
import gc
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
print(Noisy.freed >= 80, Noisy.freed < 100)
gc.collect()
print(Noisy.freed)
