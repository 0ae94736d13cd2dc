# Classes with a built-in base (list, dict, str, int, float, tuple, set): the value behind
# the instance in operators, methods, hashing, dict keys, __missing__, __new__/__init__ via
# super(), subclass of a subclass, lay-out conflicts, cycles through the value collected.
class Stack(list):
    def push(self, x):
        self.append(x)
    def peek(self):
        return self[-1]
s = Stack([1, 2])
s.push(3); s.name = "st"
print(s, len(s), s.peek(), s.name, type(s).__name__, isinstance(s, list), s == [1, 2, 3], [1, 2, 3] == s)
print(s + [4], type(s + [4]).__name__, [0] + s, list(s), sorted(s, reverse=True), 2 in s, s[1:], bool(Stack()))
s += [9]; print(s, type(s).__name__); s.sort(reverse=True); print(s, s.pop(), s)
for x in s: print("item", x)
class Tally(dict):
    def __missing__(self, k):
        return 0
t = Tally(a=1); t["b"] += 2; print(t, t["zz"], sorted(t.items()), len(t), "a" in t, isinstance(t, dict))
class Logged(dict):
    def __setitem__(self, k, v):
        print("set", k, v)
        super().__setitem__(k, v)
l = Logged(); l["x"] = 1; dict.__setitem__(l, "y", 2); print(l, l.get("x"), l.keys())
class Name(str):
    def shout(self):
        return self.upper() + "!"
n = Name("bob"); print(n, repr(n), n.shout(), n + "by", "x" + n, len(n), n == "bob", hash(n) == hash("bob"), {n: 1}["bob"], {"bob": 2}[n])
print(f"{n:>5}|", n.startswith("b"), type(n).__name__, str(n), type(str(n)).__name__)
class Money(int):
    def __repr__(self):
        return "Money(" + super().__repr__() + ")"
m = Money(5); print(m, m + 1, type(m + 1).__name__, m * 2, -m, m > 3, 3 < m, [m], abs(Money(-2)), int(m), float(m))
class Celsius(float):
    pass
c = Celsius(21.5); print(c, c + 0.5, round(c), c > 20)
class P(tuple):
    def __new__(cls, x, y):
        return super().__new__(cls, (x, y))
    @property
    def x(self):
        return self[0]
p = P(1, 2); print(p, p.x, p[1], len(p), p == (1, 2), hash(p) == hash((1, 2)), type(p).__name__)
x, y = p; print(x, y)
class U(set): pass
u = U([1, 2]); u.add(3); print(sorted(u), len(u), 2 in u, sorted(u | {9}))
class Init(list):
    def __init__(self, n):
        super().__init__(range(n))
        self.n = n
print(Init(3), Init(3).n)
class Sub(Stack): pass
ss = Sub([5]); ss.push(6); print(ss, ss.peek(), isinstance(ss, Stack))
try:
    class Bad(list, dict): pass
except TypeError as e:
    print("TypeError", e)
try:
    class B2(bool): pass
except TypeError as e:
    print("TypeError", e)
import gc
class Node(list): pass
a = Node(); a.append(a); del a
print("collected", gc.collect() >= 1)
try:
    hash(Stack())
except TypeError as e:
    print("TypeError", e)
try:
    {Stack(): 1}
except TypeError as e:
    print("TypeError", e)
class Plain:
    pass
try:
    Plain(1)
except TypeError as e:
    print("TypeError", e)
class K(str):
    def __eq__(self, o):
        return str.__eq__(self.lower(), o.lower())
    __hash__ = str.__hash__
print(K("AB") == "ab", "AB" == K("ab"))
print(K("x").__hash__() == hash("x"))
class Alias:
    size = len
    rep = object.__repr__
print(Alias().rep()[:8], Alias.size([1,2]))
