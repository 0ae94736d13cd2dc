# weakref.proxy: attribute get/set, calls and operators go to the referent; after it dies every
# use raises ReferenceError; the callback gets the proxy; type(p) is weakproxy or
# weakcallableproxy. (Reprs name addresses, so they are not printed.)
import gc
import weakref


class A:
    def __init__(self, v):
        self.v = v

    def double(self):
        return self.v * 2

    def __len__(self):
        return self.v

    def __str__(self):
        return "A with %d" % self.v


a = A(3)
p = weakref.proxy(a)
print(type(p), type(p).__name__)
print(type(p) is weakref.ProxyType, weakref.ProxyTypes == (weakref.ProxyType, weakref.CallableProxyType))
print(p.v, p.double(), len(p), str(p))
p.v = 5
print(a.v, p.v, p.double())
p.extra = "set through the proxy"
print(a.extra)
del p.extra
print(hasattr(a, "extra"))
try:
    del p.extra
except AttributeError as e:
    print("AttributeError", e)


class Logged:
    def __delattr__(self, name):
        print("__delattr__", name)


del Logged().anything
try:
    p.missing
except AttributeError as e:
    print("AttributeError", e)
try:
    hash(p)
except TypeError as e:
    print("TypeError", e)
print(p == a, weakref.getweakrefcount(a))
r = weakref.ref(a)
print(weakref.getweakrefcount(a))
del r
del a
try:
    p.v
except ReferenceError as e:
    print("ReferenceError", e)
try:
    p.v = 1
except ReferenceError as e:
    print("ReferenceError", e)
try:
    str(p)
except ReferenceError as e:
    print("ReferenceError", e)

print("-- callable referents")


def f(x, y=10):
    return x + y


cp = weakref.proxy(f)
print(type(cp), type(cp) is weakref.CallableProxyType, callable(cp), callable(p))
print(cp(1), cp(1, y=2), cp.__name__)


class C:
    def __call__(self, n):
        return "called with %d" % n


c = C()
cp2 = weakref.proxy(c)
print(type(cp2).__name__, cp2(7))
del c
try:
    cp2(1)
except ReferenceError as e:
    print("ReferenceError", e)

print("-- callbacks")
seen = []
b = A(1)
pb = weakref.proxy(b, lambda q: seen.append(type(q).__name__))
del b
print(seen)
try:
    pb.v
except ReferenceError:
    print("dead proxy raises")

x, y = A(1), A(2)
x.y, y.x = y, x
px = weakref.proxy(x, lambda q: seen.append("cycle member died"))
print(px.y.v)
del x, y
print(seen)
gc.collect()
print(seen)

print("-- containers")


class Box:
    def __init__(self, items):
        self.items = items

    def __getitem__(self, i):
        return self.items[i]

    def __setitem__(self, i, v):
        self.items[i] = v

    def __iter__(self):
        return iter(self.items)

    def __contains__(self, v):
        return v in self.items

    def __len__(self):
        return len(self.items)

    def __add__(self, other):
        return self.items + other

    def __eq__(self, other):
        return isinstance(other, Box) and self.items == other.items


box = Box([1, 2, 3])
pb = weakref.proxy(box)
print(len(pb), pb[0], 2 in pb, 7 in pb, list(pb), [x * 2 for x in pb])
pb[0] = 9
print(box.items, pb + [4], pb == Box([9, 2, 3]), pb != box, bool(pb))
pb2 = weakref.proxy(box)
print(pb == pb2, pb is pb2, weakref.getweakrefcount(box))
pb3 = weakref.proxy(box, lambda q: None)
print(pb3 is pb, weakref.getweakrefcount(box))
del pb3
del pb2
print(weakref.getweakrefcount(box))



class Num:
    def __init__(self, v):
        self.v = v

    def __truediv__(self, o):
        return self.v / o

    def __floordiv__(self, o):
        return self.v // o

    def __mod__(self, o):
        return self.v % o

    def __neg__(self):
        return -self.v

    def __add__(self, o):
        return self.v + o

    def __radd__(self, o):
        return o + self.v

    def __sub__(self, o):
        return self.v - o

    def __rsub__(self, o):
        return o - self.v

    def __mul__(self, o):
        return self.v * o

    def __rmul__(self, o):
        return o * self.v

    def __lt__(self, o):
        return self.v < o


n = Num(7)
pn = weakref.proxy(n)
print(pn / 2, pn // 2, pn % 4, -pn, pn + 1, 1 + pn, pn - 1, 10 - pn, pn * 2, 3 * pn, pn < 8)

try:
    weakref.proxy(1)
except TypeError as e:
    print("TypeError", e)
