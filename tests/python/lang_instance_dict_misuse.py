# Misuse of a live __dict__: non-str keys, a key whose __eq__ raises, clearing it, replacing it
# with itself, slots-only instances, __dict__ set in __init__.
import gc
class A: pass
a = A()
a.__dict__[1] = "int key"
a.x = 5
print(sorted(map(str, a.__dict__)), a.x)
d = a.__dict__
a.__dict__ = d
print(a.x, a.__dict__ is d)
class K:
    def __eq__(self, o): raise ValueError("eq")
    def __hash__(self): return hash("x")
try:
    a.__dict__[K()] = 1
except ValueError as e:
    print("insert", e)
try:
    print(a.x)
except ValueError as e:
    print("ValueError", e)
b = A(); b.y = 1
vars(b).clear(); print(hasattr(b, "y"), vars(b))
class S:
    __slots__ = ("p",)
try:
    S().__dict__
except AttributeError as e:
    print(e)
class W:
    def __init__(self): self.__dict__ = {"q": 1}
w = W(); del w.q; print(vars(w))
try:
    del w.q
except AttributeError as e:
    print(e)
gc.collect(); print("ok")
