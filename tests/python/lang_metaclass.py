# Metaclasses: class M(type), metaclass=, __new__/__init__/__call__ overrides, inheritance,
# lookups through the metaclass, __prepare__, conflicts, repr; classes made by a metaclass are
# collected like any class.
import gc


class Meta(type):
    def __new__(mcs, name, bases, ns, **kw):
        print("Meta.__new__", mcs.__name__, name, [b.__name__ for b in bases], sorted(k for k in ns if not k.startswith("__")), kw)
        ns["added"] = name.lower()
        cls = super().__new__(mcs, name, bases, ns)
        return cls

    def __init__(cls, name, bases, ns, **kw):
        print("Meta.__init__", cls.__name__, kw)
        super().__init__(name, bases, ns)

    def hello(cls):
        return "hello from " + cls.__name__

    @property
    def upper(cls):
        return cls.__name__.upper()

    tag = "meta-tag"


class A(metaclass=Meta):
    x = 1

    def method(self):
        return "A.method"


print(type(A) is Meta, isinstance(A, Meta), isinstance(A, type), type(Meta) is type)
print(A.added, A.hello(), A.upper, A.tag, A.x)
print(A().method(), type(A()).__name__)
print(issubclass(Meta, type), Meta.__mro__ == (Meta, type, object))


class B(A, flag=True):
    pass


print(type(B) is Meta, B.added, B.x, B.hello())
print("tag" in vars(A), hasattr(A(), "tag"), hasattr(A(), "hello"))

try:
    A().hello()
except AttributeError as e:
    print("AttributeError", e)


# __call__ on the metaclass: the singleton pattern.
class Singleton(type):
    _instances = {}

    def __call__(cls, *args, **kwargs):
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__(*args, **kwargs)
        return cls._instances[cls]


class Config(metaclass=Singleton):
    def __init__(self, value):
        print("Config.__init__", value)
        self.value = value


c1 = Config(1)
c2 = Config(2)
print(c1 is c2, c1.value, type(c1).__name__, type(Config).__name__)


class Counted(type):
    count = 0

    def __call__(cls, *a, **k):
        Counted.count += 1
        return super().__call__(*a, **k)


class P(metaclass=Counted):
    def __init__(self, a, b=2):
        self.s = a + b


print(P(1).s, P(1, b=5).s, Counted.count)


# type(name, bases, ns) with a metaclass'ed base uses the most derived metaclass.
D = type("D", (A,), {"y": 2})
print(type(D) is Meta, D.y, D.added)

# Calling the metaclass directly.
E = Meta("E", (), {"z": 3})
print(type(E).__name__, E.z, E.added, E.__name__)


# __repr__ on the metaclass changes repr(C) and str(C).
class ReprMeta(type):
    def __repr__(cls):
        return "<class " + cls.__name__ + " via ReprMeta>"


class R(metaclass=ReprMeta):
    pass


print(repr(R), str(R), [R])


# __prepare__: the namespace the body runs in.
class OrderedMeta(type):
    @classmethod
    def __prepare__(mcs, name, bases, **kw):
        print("__prepare__", name, kw)
        return {"preset": 42}

    def __new__(mcs, name, bases, ns, **kw):
        return super().__new__(mcs, name, bases, ns)

    def __init__(cls, name, bases, ns, **kw):
        super().__init__(name, bases, ns)


class O(metaclass=OrderedMeta, opt=1):
    seen = preset + 1


print(O.preset, O.seen)


# __init_subclass__ still runs (with the class keywords) under a metaclass.
class Base(metaclass=Meta):
    def __init_subclass__(cls, **kw):
        print("__init_subclass__", cls.__name__, kw)
        super().__init_subclass__()


class Child(Base, color="red"):
    pass


# A registry metaclass.
class Registry(type):
    classes = []

    def __init__(cls, name, bases, ns):
        super().__init__(name, bases, ns)
        if bases:
            Registry.classes.append(name)


class Plugin(metaclass=Registry):
    pass


class One(Plugin):
    pass


class Two(Plugin):
    pass


print(Registry.classes)

# Metaclass conflict.
class M1(type):
    pass


class M2(type):
    pass


class X1(metaclass=M1):
    pass


class X2(metaclass=M2):
    pass


try:
    class X3(X1, X2):
        pass
except TypeError as e:
    print("TypeError", e)

# A metaclass that is a subclass of the bases' metaclass wins.
class M3(M1):
    pass


class X4(X1, metaclass=M3):
    pass


print(type(X4).__name__)


class X5(X4):
    pass


print(type(X5).__name__, type(X5).__mro__ == (M3, M1, type, object))

# metaclass= a plain function.
def maker(name, bases, ns):
    ns["made_by"] = "maker"
    return type(name, bases, ns)


class F(metaclass=maker):
    pass


print(type(F) is type, F.made_by)

# Attribute on the class shadows the metaclass's; the metaclass's data descriptor wins.
class Shadow(metaclass=Meta):
    tag = "own"
    upper = "own-upper"


print(Shadow.tag, Shadow.upper)

# Classes made through a metaclass die and are collected (each is in a cycle with itself).
gc.collect()


class Quiet(type):
    pass


def churn2():
    for i in range(50):
        class Tmp(metaclass=Quiet):
            pass
        Tmp.me = Tmp
churn2()
print("collected", gc.collect() > 0)


class Temp(metaclass=Quiet):
    pass


import weakref
r = weakref.ref(Temp)
del Temp
gc.collect()
print("dead", r() is None)
