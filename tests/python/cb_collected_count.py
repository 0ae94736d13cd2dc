# The "stop" info carries the number of objects collected.
import gc
gc.disable()
gc.collect()
stops = []
gc.callbacks.append(lambda p, i: stops.append(i["collected"]) if p == "stop" else None)

class A:
    pass

for n in (1, 2, 3):
    objs = [A() for _ in range(n)]
    for o in objs:
        o.ring = objs
    del objs, o
    gc.collect()
gc.callbacks.clear()
print(stops)
