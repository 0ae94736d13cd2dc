# A ring of ten instances.
import gc
gc.disable()
gc.collect()

class Node:
    pass

first = Node()
cur = first
for i in range(9):
    n = Node()
    cur.next = n
    cur = n
cur.next = first
del first, cur, n
print(gc.collect())
