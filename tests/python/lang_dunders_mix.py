# A value class with many dunders, total_ordering, context managers, __missing__, slots and
# properties, __init_subclass__ keywords, __repr__/__str__ in every formatting path.
class V:
    def __init__(self, x, y): self.x, self.y = x, y
    def __repr__(self): return f"V({self.x!r}, {self.y!r})"
    def __add__(self, o): return V(self.x + o.x, self.y + o.y)
    def __radd__(self, o): return self if o == 0 else NotImplemented
    def __mul__(self, k): return V(self.x * k, self.y * k)
    __rmul__ = __mul__
    def __neg__(self): return V(-self.x, -self.y)
    def __abs__(self): return (self.x ** 2 + self.y ** 2) ** 0.5
    def __bool__(self): return bool(self.x or self.y)
    def __eq__(self, o): return isinstance(o, V) and (self.x, self.y) == (o.x, o.y)
    def __hash__(self): return hash((self.x, self.y))
    def __lt__(self, o): return abs(self) < abs(o)
    def __iter__(self): yield self.x; yield self.y
    def __getitem__(self, i): return (self.x, self.y)[i]
    def __len__(self): return 2
    def __format__(self, spec): return f"<{self.x:{spec}}, {self.y:{spec}}>"
    def __call__(self, z): return self.x * z
    def __contains__(self, v): return v in (self.x, self.y)
print(V(1, 2) + V(3, 4), 3 * V(1, 2), V(1, 2) * 3, -V(1, 2), abs(V(3, 4)), bool(V(0, 0)))
print(sum([V(1, 1), V(2, 2)]), sorted([V(3, 3), V(1, 1)]), max(V(1, 2), V(5, 5)))
print(list(V(7, 8)), V(7, 8)[1], len(V(1, 1)), f"{V(1.5, 2.25):.2f}", format(V(1, 2), "03d"), V(2, 3)(4), 3 in V(3, 4))
x, y = V(5, 6); print(x, y)
print({V(1, 2): "a"}[V(1, 2)], V(1, 2) != V(1, 2), V(1,2) == (1,2))
import functools
@functools.total_ordering
class T:
    def __init__(self, v): self.v = v
    def __eq__(self, o): return self.v == o.v
    def __lt__(self, o): return self.v < o.v
print(T(1) <= T(2), T(3) >= T(2), T(1) > T(2))
class Ctx:
    def __enter__(self): print("enter"); return self
    def __exit__(self, t, v, tb): print("exit", t.__name__ if t else None, v); return True
with Ctx() as c:
    raise ValueError("boom")
print("after")
class D(dict):
    def __missing__(self, k): return k * 2
print(D(a=1)["zz"], D(a=1)["a"])
class Slotted:
    __slots__ = ("a", "b")
    def __init__(self): self.a = 1
s = Slotted()
try: s.c = 3
except AttributeError as e: print(e)
try: s.b
except AttributeError as e: print(e)
class P:
    @property
    def v(self): return self._v
    @v.setter
    def v(self, val):
        if val < 0: raise ValueError("neg")
        self._v = val
    @v.deleter
    def v(self): print("del v"); del self._v
p = P(); p.v = 3; print(p.v); del p.v
try: p.v = -1
except ValueError as e: print("VE", e)
print(getattr(p, "zz", "dflt"), hasattr(p, "v"))
class A:
    def __init_subclass__(cls, /, tag=None, **kw):
        super().__init_subclass__(**kw); cls.tag = tag
class B(A, tag="b"): pass
print(B.tag)
class R:
    def __repr__(self): return "R()"
    def __str__(self): return "str-R"
print(R(), [R()], str(R()), repr(R()), f"{R()}", f"{R()!r}", "%s %r" % (R(), R()))
