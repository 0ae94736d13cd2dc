# gc.get_referents: tuples and lists are visited last to first; dicts by values.
import gc

class A:
    pass

a = A()
b = A()
r = gc.get_referents((a, b))
print(r[0] is b, r[1] is a)
r = gc.get_referents([a, b, 1])
print(len(r), r[0] == 1, r[1] is b, r[2] is a)
d = {"x": a, "y": b}
r = gc.get_referents(d)
print(len(r), r[0] is a, r[1] is b)
print(gc.get_referents(1))
