# The info dict of a gc callback.
import gc
gc.disable()
seen = []
gc.callbacks.append(lambda phase, info: seen.append(sorted(info)))
gc.collect()
gc.callbacks.clear()
print(seen)
