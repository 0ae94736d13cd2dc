# __init_subclass__ runs on the nearest base with the class statement's keywords (an implicit
# class method; type(name, bases, ns) too); object's takes no keywords; a decorator that sets
# the wrapper's __name__ / __qualname__ changes what the function reports.
class Base:
    registry = []
    def __init_subclass__(cls, flag=0, **kw):
        super().__init_subclass__(**kw)
        Base.registry.append((cls.__name__, flag))
class A(Base): pass
class B(A, flag=3): pass
C = type("C", (B,), {})
print(Base.registry)
try:
    class D(Base, nope=1): pass
except TypeError as e:
    print("TypeError", e)
try:
    class E(flag=1): pass
except TypeError as e:
    print("TypeError", e)
class Counted:
    count = 0
    @classmethod
    def __init_subclass__(cls):
        Counted.count += 1
class X(Counted): pass
class Y(X): pass
print(Counted.count, "__init_subclass__" in Base.__dict__)
def deco(f):
    def inner(*a, **k):
        return f(*a, **k)
    inner.__name__ = f.__name__
    inner.__qualname__ = "wrapped." + f.__qualname__
    return inner
@deco
def add(a, b):
    return a + b
print(add(1, 2), add.__name__, add.__qualname__, repr(add).split(" at ")[0])
try:
    add.__name__ = 5
except TypeError as e:
    print("TypeError", e)
