# Threshold 0 turns automatic collection off.
import gc
gc.collect()
gc.set_threshold(0)
events = []
gc.callbacks.append(lambda phase, info: events.append(phase))

class A:
    pass

keep = [A() for i in range(1000)]
print(len(events))
gc.collect()
print(events)
