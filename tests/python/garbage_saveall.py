# DEBUG_SAVEALL: unreachable objects go to gc.garbage instead of being freed.
import gc
gc.disable()
gc.collect()

class Node:
    pass

gc.set_debug(gc.DEBUG_SAVEALL)
a = Node(); b = Node()
a.other = b; b.other = a
a.tag = "a"; b.tag = "b"
del a, b
print(gc.collect())
print(len(gc.garbage))
print(sorted(o.tag for o in gc.garbage))
gc.set_debug(0)
gc.garbage.clear()
print(gc.collect())
