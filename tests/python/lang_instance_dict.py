# obj.__dict__ is the live attribute dict (CPython 3.11 materializes it on request): changes
# through the dict show as attributes and back, vars(obj) is the same dict, __dict__ can be
# replaced, and cycles through it are collected.
import gc, sys
class A:
    def __init__(self): self.x = 1; self.y = 2
a = A()
d = a.__dict__
d["z"] = 3
a.w = 4
print(a.z, d, vars(a) is d, a.__dict__ is d)
del a.x
print(d, hasattr(a, "x"))
d.update(q=9); print(a.q)
del d["y"]
try:
    a.y
except AttributeError as e:
    print(e)
a.__dict__ = {"n": 1}
print(a.n, vars(a), hasattr(a, "z"), d)
try:
    a.__dict__ = 5
except TypeError as e:
    print(e)
class B:
    def __init__(self, **kw): self.__dict__.update(kw)
b = B(p=1, q=2); print(b.p, b.q, sorted(vars(b)))
# a cycle through the materialized dict is collected
c = B(); c.__dict__["me"] = c; del c
print(gc.collect() >= 1)
class S:
    __slots__ = ("a", "__dict__")
s = S(); s.a = 1; s.b = 2; print(s.__dict__, s.a)
s.__dict__["c"] = 3; print(s.c, s.a)
print(sys.getsizeof(a) == sys.getsizeof(A()))
