# An exception in a gc callback is reported and ignored; the other callbacks still run.
import gc
gc.disable()
calls = []

def bad(phase, info):
    raise RuntimeError("callback failed in " + phase)

gc.callbacks.append(bad)
gc.callbacks.append(lambda p, i: calls.append(p))
print(gc.collect())
gc.callbacks.clear()
print(calls)
