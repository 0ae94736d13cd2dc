# The type attribute cache: a look-up cached on a class must see every later change to the
# class, its bases and (for a base's look-up) nothing of its subclasses.
class Base:
    def f(self):
        return "Base.f"
    x = 1

class Mid(Base):
    pass

class Leaf(Mid):
    pass

o = Leaf()
for _ in range(3):                      # cached after the first round
    print(o.f(), o.x, Leaf.x)

Base.x = 2                              # set on a base after caching
print(o.x, Leaf.x, Mid.x)
Base.f = lambda self: "new Base.f"      # replace a method on a base
print(o.f())
Mid.f = lambda self: "Mid.f"            # shadow it on a middle class
print(o.f(), Base().f())
del Mid.f                               # delete the shadow: the base's is found again
print(o.f())
Leaf.x = 3                              # set on the subclass: the base's look-up is unchanged
print(o.x, Mid.x, Base.x)
del Leaf.x
print(o.x)
del Base.x                              # delete on the base: now missing everywhere
print(hasattr(o, "x"), hasattr(Leaf, "x"), hasattr(Mid, "x"))
Base.x = 4                              # and back
print(o.x)

# A property added to a base after instances stored the plain attribute.
class P:
    pass
class Q(P):
    pass
q = Q()
for i in range(3):
    q.v = i
print(q.v)
P.v = property(lambda self: "prop", lambda self, val: print("setter", val))
q.v = 10                                # the data descriptor now wins on store
print(q.v)
del P.v
print(q.v)                              # the instance attribute shows again

# __setattr__ added to a base after caching its absence.
class S:
    pass
class T(S):
    pass
t = T()
t.a = 1
def trace(self, name, value):
    print("setattr", name, value)         # (stores nothing)
S.__setattr__ = trace
t.b = 2
del S.__setattr__
t.c = 3
print(t.a, hasattr(t, "b"), t.c)

# Diamond: an attribute set on one branch is found through the MRO order.
class A: pass
class B(A): pass
class C(A): pass
class D(B, C): pass
d = D()
A.m = "A"
print(d.m)
C.m = "C"
print(d.m)
B.m = "B"
print(d.m)
del B.m
print(d.m)

# Many names on one class (more than the cache's slots collide).
class Many:
    pass
for i in range(40):
    setattr(Many, "n%d" % i, i)
m = Many()
print(sum(getattr(m, "n%d" % i) for i in range(40)))
for i in range(0, 40, 2):
    delattr(Many, "n%d" % i)
print([hasattr(m, "n%d" % i) for i in range(6)])
