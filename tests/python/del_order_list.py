# Containers drop their items on death: lists and tuples last to first, dicts in insertion order.
class Named:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)

lst = [Named(i) for i in range(4)]
del lst
print("--")
t = tuple(Named(c) for c in "xyz")
del t
print("--")
d = {k: Named(k) for k in "pq"}
del d
