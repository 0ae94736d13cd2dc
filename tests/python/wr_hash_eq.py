# weakref.ref hashes as its referent (cached: it survives the referent) and compares referents
# while both are alive, identity after.
import weakref
class A:
    pass
class P:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        print("P.__eq__", self.v, other.v)
        return self.v == other.v
    def __hash__(self):
        return hash(self.v)
class NoHash:
    def __eq__(self, other):
        return True
def cb(r):
    print("callback", r() is None)
a = A()
r1 = weakref.ref(a)
r2 = weakref.ref(a, cb)
print(r1 == r2, r1 is r2, r1 != r2, hash(r1) == hash(a), hash(r2) == hash(a))
b = A()
rb = weakref.ref(b)
print(rb == r1, rb != r1, r1 == a, r1 == 5)
h = hash(r1)
del a
print(r1() is None, hash(r1) == h, r1 == r2, r1 == r1, r1 != r2)
c = A()
rc = weakref.ref(c)
del c
try:
    hash(rc)
except TypeError as e:
    print("TypeError:", e)
p, q = P(1), P(1)
rp, rq = weakref.ref(p), weakref.ref(q)
print(rp == rq, hash(rp) == hash(1))
del q
print(rp == rq)
n = NoHash()
try:
    hash(weakref.ref(n))
except TypeError as e:
    print("TypeError:", e)
d = {r1: "dead key"}
print(d[r1], r1 in d)
s = {weakref.ref(b), weakref.ref(b, cb), rb}
print(len(s))
keep = P(2)
d2 = {weakref.ref(keep): 'x'}
print(d2[weakref.ref(P(2)) if False else weakref.ref(keep)])
