# Private name mangling: `__x` inside a class body means `_Class__x` for names, attributes,
# parameters, keyword-only defaults, globals, nested functions and nested classes.

__g = 'module __g'
_B__g = 'module _B__g'

class A:
    __k = 1
    __dunder__ = 'not mangled'

    def __init__(self, __p=10, *, __q=20):
        self.__x = __p + __q
        __local = 'local'
        def inner():
            return __local, self.__x
        self.pair = inner()

    def __private(self):
        return 'private method'

    def call(self):
        return self.__private(), A.__k, self.__dunder__

    def get_del(self):
        v = self.__x
        del self.__x
        return v, hasattr(self, '_A__x')

a = A()
print(a.pair, a.call())
print(sorted(k for k in vars(a)))
print('_A__k' in A.__dict__, '__k' in A.__dict__, '_A__private' in A.__dict__)
print(A._A__private.__name__, A._A__private.__qualname__)
print(A.__init__.__code__.co_varnames[:3], sorted(A.__init__.__kwdefaults__))
print(hasattr(a, '__x'), getattr(a, '_A__x'))
print(a.get_del())
try:
    a.__private()
except AttributeError as e:
    print('AttributeError:', e)

class B:
    def read(self):
        global __g
        return __g
    def write(self):
        global __h
        __h = 'set by B'
print(B().read())
B().write()
print(_B__h)

class _Under:
    def __m(self):
        return 'm'
print(sorted(k for k in vars(_Under) if 'm' in k))

class ___:
    __z = 3
print('__z' in vars(___))

class Outer:
    class Inner:
        __y = 'inner'
    __w = 'outer'
    def both(self):
        return self.Inner._Inner__y, self.__w
print(Outer().both())

class C:
    __slots__ = ('__s', 'plain')
    def __init__(self):
        self.__s = 's'
print(C.__slots__, C()._C__s, hasattr(C(), '__dict__'))

class D:
    lam = lambda self, __a=1: __a
    comp = [__i for __i in range(3)]
print(D().lam(), D.comp)
