# gc.collect() called from inside a gc callback does nothing and returns 0.
import gc
gc.disable()
inner = []
gc.callbacks.append(lambda p, i: inner.append(gc.collect()))
gc.collect()
gc.callbacks.clear()
print(inner)
