# gc.get_referents of an instance: its attribute values and its class.
import gc

class A:
    pass

a = A()
x = [1]
y = {"k": 2}
a.x = x
a.y = y
refs = gc.get_referents(a)
print(any(r is x for r in refs), any(r is y for r in refs), any(r is A for r in refs))
