# A doubly linked list leaks without the collector: each node points both ways.
import gc
gc.disable()
gc.collect()

class Node:
    def __init__(self, v):
        self.v = v
        self.prev = None
        self.next = None

head = Node(0)
cur = head
for i in range(1, 5):
    n = Node(i)
    n.prev = cur
    cur.next = n
    cur = n
values = []
cur = head
while cur:
    values.append(cur.v)
    cur = cur.next
print(values)
del head, n
print(gc.collect())
