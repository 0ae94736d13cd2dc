# Annotations: module and class __annotations__ (simple names only, values stored first),
# function __annotations__ in CPython's order, what is and is not evaluated.

def note(tag):
    print('evaluated', tag)
    return tag

x: int = 5
y: note('y')
(z): note('z-parenthesized') = 3
print(__annotations__, x, z)

class Obj:
    pass
o = Obj()
o.attr: note('attr') = 1
d = {}
d['k']: note('subscript') = 2
print(sorted(__annotations__), o.attr, d)

class A:
    a: int = 1
    b: 'list[int]'
    __p: str
    if True:
        c: float
    def m(self):
        pass
print(A.__annotations__, A.a, hasattr(A, 'b'))

class NoAnn:
    pass
print(NoAnn.__annotations__, '__annotations__' in NoAnn.__dict__)

class Child(A):
    extra: bytes
print(Child.__annotations__)

def f(p: 1, /, a: 2, *v: 3, k: 4, **kw: 5) -> 6:
    local: note('never in a function') = 1
    return local
print(f.__annotations__, f(0, 0, k=0))

def g(a, b=2):
    pass
print(g.__annotations__, g.__kwdefaults__)
g.__annotations__ = None
print(g.__annotations__)
try:
    g.__annotations__ = 5
except TypeError as e:
    print('TypeError:', e)
g.__annotations__ = {'a': int}
print(g.__annotations__)

def h(*, q: 'Q' = 1):
    pass
print(h.__annotations__, h.__kwdefaults__)

def outer():
    T = list
    def inner(v: T) -> T:
        return v
    return inner
print(outer().__annotations__)

def unbound():
    w: int
    try:
        return w
    except NameError as e:
        return type(e).__name__
print(unbound())
print((lambda q: q).__annotations__)
