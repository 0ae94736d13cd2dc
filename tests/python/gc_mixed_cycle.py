# One cycle through an instance, a list, a dict and back.
import gc
gc.disable()
gc.collect()

class Node:
    pass

n = Node()
n.lst = [{"back": n}]
del n
print(gc.collect())
