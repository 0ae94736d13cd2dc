# A cycle still reachable from a global is not garbage.
import gc
gc.disable()
gc.collect()

class Node:
    pass

a = Node()
b = Node()
a.other = b
b.other = a
print(gc.collect())
keep = a
del a, b
print(gc.collect())
print(type(keep.other).__name__)
del keep
print(gc.collect())
