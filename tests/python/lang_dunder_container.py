# __len__, __getitem__, __setitem__, __contains__, __iter__ on a user container.
class Bag:
    def __init__(self):
        self.items = {}
    def __len__(self):
        return len(self.items)
    def __getitem__(self, k):
        return self.items[k]
    def __setitem__(self, k, v):
        self.items[k] = v
    def __delitem__(self, k):
        del self.items[k]
    def __contains__(self, k):
        return k in self.items
    def __iter__(self):
        return iter(sorted(self.items))

b = Bag()
b["x"] = 1
b["a"] = 2
print(len(b), b["x"], "a" in b, "q" in b, list(b), bool(b))
del b["x"]
print(len(b), list(b))
try:
    b["missing"]
except KeyError as e:
    print("KeyError", e)

class Seq:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return i * 10
print(list(Seq()), 20 in Seq())
