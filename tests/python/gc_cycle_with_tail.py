# Objects hanging off a dead cycle are freed with it, by refcounting once the cycle is broken.
import gc
gc.disable()
gc.collect()

class Node:
    pass

class Leaf:
    def __del__(self):
        print("leaf freed")

a = Node()
b = Node()
a.other = b
b.other = a
a.leaf = Leaf()
del a, b
print("collecting")
n = gc.collect()
print(n)
