# The descriptor protocol for user classes: data descriptors (__get__ with __set__ or
# __delete__) come before the instance's attributes, non-data descriptors after them; class
# access calls __get__(None, cls); __set_name__ runs at class creation, in namespace order.
class Typed:
    def __set_name__(self, owner, name):
        print("set_name", owner.__name__, name)
        self.name = "_" + name
    def __get__(self, obj, owner):
        if obj is None:
            return self
        return getattr(obj, self.name, None)
    def __set__(self, obj, value):
        if not isinstance(value, int):
            raise TypeError(f"{self.name[1:]} must be int")
        setattr(obj, self.name, value)
    def __delete__(self, obj):
        print("delete", self.name)
        delattr(obj, self.name)

class Lazy:
    """A non-data descriptor: computes once, then the instance attribute shadows it."""
    def __init__(self, f):
        self.f = f
    def __get__(self, obj, owner):
        if obj is None:
            return "Lazy on " + owner.__name__
        v = self.f(obj)
        obj.__setattr__(self.f.__name__, v)
        return v

class Point:
    x = Typed()
    y = Typed()
    def __init__(self, x, y):
        self.x, self.y = x, y
    @Lazy
    def norm2(self):
        print("computing")
        return self.x ** 2 + self.y ** 2

p = Point(3, 4)
print(p.x, p.y, p._x, type(Point.x).__name__, Point.norm2)
print(p.norm2, p.norm2)
try:
    p.x = "no"
except TypeError as e:
    print("TypeError:", e)
del p.y
print(p.y)

class Const:
    def __get__(self, obj, owner):
        return 7
    def __set__(self, obj, v):
        raise AttributeError("read-only")
class K:
    c = Const()
k = K()
try:
    k.c = 1
except AttributeError as e:
    print("AttributeError:", e)
print(k.c, K.c)

class Plain:
    def __get__(self, obj, owner):
        return ("plain", obj is None)
class Q:
    v = Plain()
q = Q()
print(q.v, Q.v)
q.v = 5
print(q.v)

class Bad:
    def __set_name__(self, owner, name):
        raise ValueError("nope")
try:
    class R:
        b = Bad()
except RuntimeError as e:
    print("RuntimeError:", e, "| cause:", repr(e.__cause__))
