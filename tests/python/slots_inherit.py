# A subclass without __slots__ gets a __dict__ again; with __slots__ it extends the parent's.
class Base:
    __slots__ = ("a",)

class WithDict(Base):
    pass

class More(Base):
    __slots__ = ("b",)

w = WithDict()
w.a = 1
w.anything = 2
print(w.a, w.anything)
m = More()
m.a = 1
m.b = 2
print(m.a, m.b)
try:
    m.c = 3
except AttributeError:
    print("no c")
