# Weak references without a callback are shared: ref(o) is ref(o), counted once; a reference
# with a callback is always a new one.
import weakref

class A:
    pass

a = A()
r1 = weakref.ref(a)
r2 = weakref.ref(a)
print(r1 is r2, weakref.getweakrefcount(a))
r3 = weakref.ref(a, lambda r: None)
print(r3 is r1, weakref.getweakrefcount(a))
print(len(weakref.getweakrefs(a)), all(r() is a for r in weakref.getweakrefs(a)))
print(type(r1) is weakref.ref, isinstance(r3, weakref.ReferenceType))
del a
print(r1(), r3(), weakref.getweakrefs(r1))
