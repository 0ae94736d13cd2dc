# type.__subclasses__(): the live direct subclasses in creation order; dead ones drop out.
import gc


class A:
    pass


class B(A):
    pass


class C(A):
    pass


class D(B, C):
    pass


print(A.__subclasses__())
print(B.__subclasses__(), C.__subclasses__(), D.__subclasses__())
print(type.__subclasses__(A) == A.__subclasses__())
E = type('E', (A,), {})
print([c.__name__ for c in A.__subclasses__()])
del D
gc.collect()
print(B.__subclasses__(), C.__subclasses__())
del E
gc.collect()
print([c.__name__ for c in A.__subclasses__()])


def make():
    class Local(A):
        pass
    return len(A.__subclasses__())


print(make())
gc.collect()
print(len(A.__subclasses__()))
for i in range(50):
    type('T%d' % i, (C,), {})
gc.collect()
print(C.__subclasses__())


class MyInt(int):
    pass


print(MyInt in int.__subclasses__(), MyInt.__subclasses__())
print(A in object.__subclasses__(), MyInt in object.__subclasses__())
try:
    A.__subclasses__(1)
except TypeError as e:
    print(type(e).__name__)
