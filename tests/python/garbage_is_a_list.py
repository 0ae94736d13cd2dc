# gc.garbage is an ordinary list: it can be appended to and cleared, and the collector adds
# to the same list object.
import gc
gc.disable()
gc.collect()
g = gc.garbage
print(type(g).__name__, g)
gc.set_debug(gc.DEBUG_SAVEALL)
x = []
x.append(x)
del x
gc.collect()
gc.set_debug(0)
print(gc.garbage is g, len(g), type(g[0]).__name__)
g.clear()
print(gc.garbage)
