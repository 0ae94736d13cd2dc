# weakref.finalize (called once: by death, call or exit; detach, peek, alive, atexit), WeakSet, WeakMethod.
import gc, weakref
class A:
    def __init__(self, n): self.n = n
def done(tag, extra=""):
    print("finalized", tag, extra)
    return tag
a = A(1)
f = weakref.finalize(a, done, "a", extra="kw")
print(f.alive, f.atexit)
print(f.peek()[0] is a, f.peek()[2:])
del a
print(f.alive, f.peek(), f())
b = A(2)
g = weakref.finalize(b, done, "b")
print(g(), g.alive, g())
del b
c = A(3)
h = weakref.finalize(c, done, "c")
print(h.detach()[2], h.alive, h.detach())
x = A(4); x.self = x
k = weakref.finalize(x, done, "cycle")
del x
print("before collect")
gc.collect()
print("after collect")
keep1 = A(5)
weakref.finalize(keep1, done, "at exit, created first")
keep2 = A(6)
weakref.finalize(keep2, done, "at exit, created second")
keep3 = A(7)
q = weakref.finalize(keep3, done, "never: atexit off")
q.atexit = False
try:
    weakref.finalize(1, done)
except TypeError as e:
    print(e)
print("repr", repr(k).endswith("; dead>"), repr(q).split(";")[1].split(" at")[0])
s = weakref.WeakSet()
objs = [A(i) for i in range(3)]
for o in objs:
    s.add(o)
print(len(s), objs[0] in s, A(9) in s)
del o
objs.pop()
print(len(s))
s.discard(objs[0]); print(len(s))
try:
    s.remove(A(0))
except KeyError:
    print("KeyError")
class M:
    def meth(self): return "m"
m = M()
wm = weakref.WeakMethod(m.meth)
print(wm()(), wm() == m.meth)
del m
print(wm())
try:
    weakref.WeakMethod(len)
except TypeError as e:
    print(e)
print("end of main")
