# "Exception ignored in: X" names X by its Python repr: the __del__ function, a weakref or gc
# callback, a lambda, a bound method (addresses masked by the suite).
import weakref, gc
class A:
    def __del__(self):
        raise ValueError("in del")
def f(r):
    raise KeyError("cb")
a = A()
del a
class B: pass
b = B()
r = weakref.ref(b, f)
del b
def cbk(phase, info):
    raise RuntimeError("gc cb")
gc.callbacks.append(cbk)
gc.collect()
gc.callbacks.clear()
l = lambda r: 1/0
c = B()
r2 = weakref.ref(c, l)
del c
class C:
    def m(self, r):
        raise TypeError("meth")
cc = C()
d = B()
r3 = weakref.ref(d, cc.m)
del d
class Gen:
    def __iter__(self):
        try:
            yield 1
        finally:
            raise ValueError("in finally")
g = iter(Gen())
next(g)
del g
print("done")
