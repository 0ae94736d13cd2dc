# StoreAttr's per-name cache (plain instance stores skip the class look-ups): every change to
# the class that makes a store non-plain must show at once.
import sys


class P:
    def __init__(self):
        self.a = 1


def store(o, v):
    o.a = v                             # one instruction, cached after the first store


p = P()
for n in range(3):
    store(p, n)
print(p.a)

# A property added to the class after caching: the setter runs.
def _set(self, v):
    print("setter", v)
    self.__dict__  # reads only
P.a = property(lambda self: "getter", _set)
store(p, 10)
print(p.a)
del P.a
store(p, 11)
print(p.a)

# A read-only property on a base added later.
class Q(P):
    pass
q = Q()
store(q, 1)
P.a = property(lambda self: "ro")
try:
    store(q, 2)
except AttributeError:
    print("AttributeError: no setter")
del P.a
store(q, 3)
print(q.a)

# __setattr__ added to the class, then removed.
def tracer(self, name, v):
    print("__setattr__", name, v)
    object.__setattr__(self, name, v)
P.__setattr__ = tracer
store(p, 20)
del P.__setattr__
store(p, 21)
print(p.a)

# Instances of different classes through one store instruction.
class R:
    __slots__ = ("a",)
class S:
    __slots__ = ("b",)
for o in [P(), R(), Q(), R()]:
    store(o, type(o).__name__)
    print(o.a)
try:
    store(S(), 1)
except AttributeError as e:
    print("AttributeError", e)

# A class that dies and another made in its place.
for k in range(3):
    class T:
        pass
    t = T()
    store(t, k)
    print(t.a)
    if k == 1:
        T.a = property(lambda self: "prop")
        try:
            store(t, 9)
        except AttributeError:
            print("AttributeError: no setter")
    del T, t

# Not instances: functions and classes take setattr.
def fn():
    pass
store(fn, "on a function")
print(fn.a)
store(P, "on the class")
print(P.a, P().a)

# Reference counts: the cache holds nothing.
v = object()
store(p, v)
store(p, v)
print(sys.getrefcount(v))
