# set_threshold / get_threshold round trip, with one, two or three values.
import gc
gc.set_threshold(100, 5, 3)
print(gc.get_threshold())
gc.set_threshold(50)
print(gc.get_threshold())
gc.set_threshold(10, 2)
print(gc.get_threshold())
