# A mutable class attribute is shared by every instance.
class Shared:
    items = []
    def add(self, v):
        self.items.append(v)

class Own:
    def __init__(self):
        self.items = []
    def add(self, v):
        self.items.append(v)

a, b = Shared(), Shared()
a.add(1); b.add(2)
print(a.items, b.items, a.items is b.items)
c, d = Own(), Own()
c.add(1); d.add(2)
print(c.items, d.items)
