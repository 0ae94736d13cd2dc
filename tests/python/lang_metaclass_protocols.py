# Metaclass protocols: __iter__/__len__/__contains__/__getitem__ on classes, __instancecheck__,
# __subclasscheck__, __getattr__, __setattr__, type.__new__ errors, abstract-style __call__.
class EnumMeta(type):
    def __new__(mcs, name, bases, ns):
        members = {k: v for k, v in ns.items() if not k.startswith("_")}
        cls = super().__new__(mcs, name, bases, ns)
        cls._members = members
        return cls
    def __iter__(cls):
        return iter(cls._members.items())
    def __len__(cls):
        return len(cls._members)
    def __contains__(cls, x):
        return x in cls._members
    def __getitem__(cls, k):
        return cls._members[k]

class Color(metaclass=EnumMeta):
    RED = 1
    GREEN = 2

print(list(Color), len(Color), "RED" in Color, Color["GREEN"])

class IC(type):
    def __instancecheck__(cls, inst):
        return isinstance(inst, int)
    def __subclasscheck__(cls, sub):
        return sub is bool

class Intish(metaclass=IC):
    pass

print(isinstance(3, Intish), isinstance("x", Intish), issubclass(bool, Intish), issubclass(int, Intish))

class AttrMeta(type):
    def __getattr__(cls, name):
        return "dyn_" + name

class G(metaclass=AttrMeta):
    real = 1

print(G.real, G.missing)

class SetMeta(type):
    def __setattr__(cls, name, value):
        print("set", name, value)
        super().__setattr__(name, value.upper() if isinstance(value, str) else value)

class S(metaclass=SetMeta):
    pass

S.a = "x"
print(S.a)

try:
    type.__new__(int, "X", (), {})
except TypeError as e:
    print(e)
try:
    type.__new__(type, "X", [], {})
except TypeError as e:
    print(e)
try:
    type("X", (), [])
except TypeError as e:
    print(e)
try:
    class Bad(type):
        __slots__ = ("a",)
except TypeError as e:
    print(e)

class M(type):
    pass
print(repr(M), M.__name__, M.__qualname__, M.__module__, M.__bases__)
class C(metaclass=M): pass
print(C.__class__ is M, C.__class__.__name__, type(C).__mro__)
print(type(M) is type, M.__class__ is type)
print(isinstance(C(), C), isinstance(M, type), isinstance(C, M))
print(C.__name__, C.__qualname__, repr(C))
print(C.mro())
try:
    M.mro()
except TypeError as e:
    print(e)
print(sorted(k for k in vars(M) if not k.startswith("__")))
def f(cls): return 42
M.dynamic = f
print(C.dynamic())
class AB(type):
    def __call__(cls, *a, **k):
        if getattr(cls, "abstract", False):
            raise TypeError("Can't instantiate abstract class " + cls.__name__)
        return super().__call__(*a, **k)
class Shape(metaclass=AB):
    abstract = True
class Sq(Shape):
    abstract = False
    def __init__(self, n): self.n = n
try:
    Shape()
except TypeError as e:
    print(e)
print(Sq(3).n)
class Meta2(type):
    def __new__(cls, *args, **kwargs):
        return super().__new__(cls, *args, **kwargs)
class K(metaclass=Meta2):
    def m(self):
        return super().__repr__()[:9]
print(K().m())
class WithSuper(metaclass=Meta2):
    def hi(self):
        return "hi"
class Sub(WithSuper):
    def hi(self):
        return super().hi() + "!"
print(Sub().hi())
x = Meta2("Dyn", (WithSuper,), {})
print(type(x).__name__, x().hi())
