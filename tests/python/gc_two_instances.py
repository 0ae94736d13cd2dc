# Two instances referencing each other: refcounting cannot free them, gc.collect() can.
import gc
gc.disable()
gc.collect()

class Node:
    pass

a = Node()
b = Node()
a.other = b
b.other = a
del a, b
print(gc.collect())
print(gc.collect())
