# gc.collect(generation) and its bounds.
import gc
gc.disable()
gc.collect()

class A:
    pass

a = A(); a.me = a; del a
print(gc.collect(0))
a = A(); a.me = a; del a
print(gc.collect(1))
a = A(); a.me = a; del a
print(gc.collect(2))
try:
    gc.collect(3)
except ValueError as e:
    print("ValueError:", e)
