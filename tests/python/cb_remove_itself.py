# A callback may remove itself from gc.callbacks while the callbacks run.
import gc
gc.disable()
log = []

def once(phase, info):
    log.append("once " + phase)
    gc.callbacks.remove(once)

gc.callbacks.append(once)
gc.callbacks.append(lambda p, i: log.append("always " + p))
gc.collect()
gc.collect()
gc.callbacks.clear()
print(log)
