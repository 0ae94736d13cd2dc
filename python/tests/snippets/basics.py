import sys, gc
print(1 + 2)
def fib(n):
    return n if n < 2 else fib(n-1) + fib(n-2)
print(fib(15))
class A:
    def __init__(self, x):
        self.x = x
    def __repr__(self):
        return f"A({self.x!r})"
class B(A):
    def __init__(self, x):
        super().__init__(x * 2)
print([A(1), B(2)], {"a": 1, 'b': [1, 2.5, None]})
o = object()
print(sys.getrefcount(o))
def f(x): return sys.getrefcount(x)
print(f(o))
l = [o]
print(sys.getrefcount(o))
a = A(1); a.me = a
del a
print(gc.collect())
def gen(n):
    for i in range(n):
        yield i * i
print(list(gen(5)), sum(x for x in range(10)), [x for x in range(5) if x % 2])
try:
    {}['k']
except KeyError as e:
    print("caught", repr(e))
def closure():
    c = 0
    def inc():
        nonlocal c
        c += 1
        return c
    return inc
i = closure(); i(); print(i())
print("%d-%s %.2f" % (3, "x", 2.5), "{:>5}|{}".format("a", 3))
with open if False else None or 1 as q: pass
