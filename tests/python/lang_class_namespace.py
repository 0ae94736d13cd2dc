# What a class statement puts in the class dict (CPython type_new): __module__, __doc__ (None
# without a docstring), the __dict__/__weakref__ descriptors where the class first adds them,
# slot members after the body's names; vars() order included.
class A:
    pass
class B:
    "doc of B"
    x = 1
    def f(self): pass
class C(B):
    __slots__ = ("a",)
class D(int):
    pass
class E(C):
    pass
class F:
    __slots__ = ()
    y: int = 2
for k in (A, B, C, D, E, F):
    print(k.__name__, sorted(vars(k)), k.__doc__, '__doc__' in vars(k), vars(k)['__doc__'], vars(k)['__module__'])
print(A.__dict__['__dict__'].__name__ if '__dict__' in A.__dict__ else None)
print('__qualname__' in vars(A), A.__qualname__)
X = type("X", (), {})
print(sorted(vars(X)), X.__doc__)
Y = type("Y", (), {"__doc__": "yy"})
print(sorted(vars(Y)), Y.__doc__)
class G:
    def __init__(self): self.a = 1
print(sorted(vars(G())), sorted(G.__dict__))
print(A().__doc__, B().__doc__)
print(list(vars(A)), list(vars(B)))
print(A.__dict__['__dict__'], A.__dict__['__weakref__'], B.__dict__['__dict__'].__name__)
print(A.__dict__['__dict__'].__objclass__ is A, type(A.__dict__['__dict__']).__name__)
class S: __slots__=('__dict__',)
class W: __slots__=('__weakref__','a')
print(list(vars(S)), list(vars(W)))
class Ex(Exception): 'x'
class Ex2(Ex): pass
print(list(vars(Ex)), list(vars(Ex2)))
for b in (int, float, str, bytes, tuple, frozenset, list, dict, set, Exception, type, object):
    K = type('K', (b,), {})
    print(b.__name__, sorted(k for k in vars(K) if k in ('__dict__','__weakref__')))
a = A(); a.q = 1
print(a.__dict__, vars(a), '__dict__' in dir(A), '__weakref__' in dir(A), '__doc__' in dir(A))
class M(type): pass
print(sorted(vars(M)))
A.later = 5
print(list(vars(A)))
