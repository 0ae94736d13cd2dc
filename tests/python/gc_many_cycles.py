# A hundred separate two-instance cycles.
import gc
gc.disable()
gc.collect()

class Node:
    pass

for i in range(100):
    a = Node()
    b = Node()
    a.other = b
    b.other = a
del a, b
print(gc.collect())
