# __slots__ member descriptors: the class attribute per slot name, its __get__/__set__/
# __delete__, and instance access through the slots.
class C:
    __slots__ = ('a', '__b')

    def __init__(self):
        self.__b = 'private'

    def b(self):
        return self.__b


c = C()
print(C.a)
print(C._C__b)
print(type(C.a).__name__, C.a.__name__, C.a.__qualname__, C.a.__objclass__ is C)
print('a' in vars(C), '_C__b' in vars(C), vars(C)['a'] is C.a)
try:
    c.a
except AttributeError as e:
    print('get unset:', e)
try:
    C.a.__get__(c, C)
except AttributeError as e:
    print('__get__ unset:', e)
try:
    del c.a
except AttributeError as e:
    print('del unset:', e)
try:
    C.a.__delete__(c)
except AttributeError as e:
    print('__delete__ unset:', e)
C.a.__set__(c, 5)
print(c.a, C.a.__get__(c, C), C.a.__get__(c), c.b())
c.a = 6
print(C.a.__get__(c, C))
C.a.__delete__(c)
print(hasattr(c, 'a'))
print(C.a.__get__(None, C) is C.a)
for bad in (lambda: C.a.__set__(1, 2), lambda: C.a.__get__('x', str)):
    try:
        bad()
    except TypeError as e:
        print(e)


class D(C):
    __slots__ = ('d',)


d = D()
d.a, d.d = 1, 2
print(D.a is C.a, D.d, D.d.__objclass__ is D, 'a' in vars(D), d.a, d.d)
print(C.a.__get__(d, D), D.d.__get__(d, D))
print(getattr(D, 'a').__name__)


class E:
    __slots__ = 'x'


print(E.x, hasattr(E(), 'x'))
try:
    class F:
        __slots__ = ('y',)
        y = 1
except ValueError as e:
    print(e)


class G:
    __slots__ = ('__dict__', 'z')


g = G()
g.z = 1
g.w = 2
print(G.z, 'w' in vars(G), g.z, g.w, sorted(vars(g)))
# Instances stay fast: many reads and writes through the slots.
t = C()
t.a = 0
for i in range(10000):
    t.a = t.a + 1
print(t.a)
