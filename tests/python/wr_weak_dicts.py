# WeakValueDictionary and WeakKeyDictionary: entries vanish when the referent dies, by refcount
# and after gc.collect() for cycles; the common dict API and KeyError as CPython.
import gc
import weakref


class A:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "A(%s)" % self.name


print("-- WeakValueDictionary")
d = weakref.WeakValueDictionary()
print(type(d), type(d).__name__)
a, b, c = A("a"), A("b"), A("c")
d["a"] = a
d["b"] = b
d[3] = c
print(len(d), "a" in d, "z" in d, d["a"], d[3])
print(sorted(map(str, d.keys())), sorted(v.name for v in d.values()))
print(sorted((str(k), v.name) for k, v in d.items()))
print(sorted(map(str, d)))
print(d.get("b"), d.get("z"), d.get("z", 42))
del b
print("after del b:", len(d), "b" in d, d.get("b"))
try:
    d["b"]
except KeyError as e:
    print("KeyError", e)
del d["a"]
print("after del d['a']:", len(d), a.name)
try:
    del d["a"]
except KeyError as e:
    print("KeyError", e)
print(d.pop(3), len(d))
print(d.pop(3, "default"))
try:
    d.pop(3)
except KeyError as e:
    print("KeyError", e)
x = A("x")
print(d.setdefault("x", x) is x, d.setdefault("x", A("other")) is x)
d["a"] = a
print(sorted(map(str, d.keys())))
d["a"] = x
print(d["a"], len(d))
del x
print("x and a->x dropped:", len(d), list(d.keys()))

print("-- values in a cycle")
d = weakref.WeakValueDictionary()
p, q = A("p"), A("q")
p.other, q.other = q, p
d["p"], d["q"] = p, q
del p, q
print(len(d))
n = gc.collect()
print("collect >= 2:", n >= 2, "len:", len(d))

print("-- update and constructor")
e1, e2 = A("e1"), A("e2")
d = weakref.WeakValueDictionary({"e1": e1}, e2=e2)
print(sorted(d.keys()))
d.update([("e3", e1)])
print(sorted(d.keys()), d["e3"] is e1)
del e1
print(sorted(d.keys()))
try:
    d["k"] = 5
except TypeError as e:
    print("TypeError", e)

print("-- WeakKeyDictionary")
k = weakref.WeakKeyDictionary()
print(type(k), type(k).__name__)
a, b = A("a"), A("b")
k[a] = 1
k[b] = "two"
print(len(k), a in k, A("a") in k, k[a], k[b], 5 in k)
print([x.name for x in k.keys()], list(k.values()))
print([(x.name, v) for x, v in k.items()], [x.name for x in k])
k[a] = 10
print(k[a], len(k), k.get(b), k.get(A("n")), k.get(A("n"), "dflt"))
del b
print("after del b:", len(k), [x.name for x in k])
try:
    k[A("missing")]
except KeyError:
    print("KeyError (CPython's message names the weakref's address)")
try:
    k[1]
except TypeError as e:
    print("TypeError", e)
del k[a]
print("after del k[a]:", len(k))
try:
    del k[a]
except KeyError:
    print("KeyError again")
k[a] = 7
print(k.pop(a), len(k), k.pop(a, "gone"))
print(k.setdefault(a, []), k.setdefault(a, [1]))
k[a].append(3)
print(k[a])
del a
print("after del a:", len(k))

print("-- keys in a cycle, and equal keys")
k = weakref.WeakKeyDictionary()
p, q = A("p"), A("q")
p.other, q.other = q, p
k[p] = "P"
k[q] = "Q"
del p, q
print(len(k))
gc.collect()
print("after collect:", len(k))


class Key:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return isinstance(other, Key) and self.v == other.v

    def __hash__(self):
        return hash(self.v)


k1, k2 = Key(1), Key(1)
k = weakref.WeakKeyDictionary()
k[k1] = "one"
print(k[k2], k2 in k, len(k))
k[k2] = "uno"
print(len(k), k[k1])
del k1
print(len(k), k2 in k)
