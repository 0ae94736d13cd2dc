# Special methods of built-in types named by Python code: super().__setattr__ / __repr__ /
# __eq__ / __hash__ / __new__ / __format__, object.__getattribute__ with a class's own
# __getattribute__ and __getattr__, int.__add__ and the NotImplemented of mixed types,
# container protocol methods, [].__hash__ is None, dir() listing the inherited dunders.
class A:
    def __setattr__(s, k, v):
        print("set", k)
        super().__setattr__(k, v)
    def __repr__(s):
        return "A:" + super().__repr__()[:10]
a = A(); a.x = 1; print(a.x, repr(a))
class B:
    def __eq__(s, o): return super().__eq__(o)
    def __hash__(s): return super().__hash__()
b = B(); print(b == b, b == 1, hash(b) == hash(b), b != b, b != 1)
print(int.__add__(1, 2), (5).__mul__(2), "a".__add__("b"), [1].__len__(), {1: 2}.__getitem__(1))
print((1).__add__(2.5), (2.5).__radd__(1), (1).__eq__("a"), (3).__lt__(4), "ab".__contains__("a"))
print(object.__new__(object).__class__, [1, 2].__iter__().__next__(), (1, 2).__hash__() == hash((1, 2)))
class C:
    def __getattribute__(s, k):
        print("get", k)
        return object.__getattribute__(s, k)
    def __getattr__(s, k):
        return "fallback " + k
c = C(); c.y = 2; print(c.y); print(c.zz)
class S:
    _i = None
    def __new__(cls):
        if cls._i is None:
            cls._i = object.__new__(cls)
        return cls._i
print(S() is S())
class N:
    def __new__(cls, *a):
        print("new", a)
        return super().__new__(cls)
    def __init__(s, x):
        print("init", x)
N(5)
class D:
    def __init__(s): object.__setattr__(s, "v", 3)
    def __setattr__(s, k, v): raise AttributeError("frozen")
d = D(); print(d.v)
try:
    d.w = 1
except AttributeError as e:
    print("AttributeError", e)
object.__delattr__(d, "v"); print(hasattr(d, "v"))
print(A.__init__ is object.__init__, A.__repr__ is object.__repr__, hasattr(1, "__len__"), hasattr([], "__hash__"), [].__hash__ if False else 0)
print(str(a), format(a), f"{b!r}"[:10])
class E:
    def __str__(s): return "E!"
    def __format__(s, spec): return "fmt:" + super().__format__("")
print(f"{E()}", str(E()), E().__str__(), object.__str__(E())[:10])
try:
    format(object(), "x")
except TypeError as e:
    print(e)
print(list.__len__([1, 2, 3]), dict.__contains__({1: 1}, 1), set.__or__({1}, {2}), (1).__sub__(True), (7).__rfloordiv__(30))
l = [1]; print(l.__iadd__([2]) is l, l)
print(sorted(x for x in dir(1) if x in ("__add__", "__len__", "__eq__")))
class A:
    def f(self): pass
print([n for n in dir(A()) if n in ('__eq__','__repr__','__class__','f','__init__','__hash__')])
print([n for n in dir([]) if n.startswith('__') and n in ('__len__','__add__','__iadd__','__hash__','__mul__','__rmul__')])
