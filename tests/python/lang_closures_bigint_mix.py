# Closures, decorators with functools.wraps, keyword/positional-only binding errors, lru_cache,
# globals, and big-integer arithmetic and formatting.
def make_counter():
    n = 0
    def inc(step=1):
        nonlocal n
        n += step
        return n
    return inc
c = make_counter(); c(); c(5); print(c(), c.__closure__[0].cell_contents, c.__code__.co_freevars)
fs = [lambda i=i: i for i in range(3)]; print([f() for f in fs])
gs = [lambda: i for i in range(3)]; print([g() for g in gs])
def outer():
    x = "o"
    def mid():
        def inner(): return x
        return inner
    return mid()()
print(outer())
def deco(tag):
    def wrap(f):
        import functools
        @functools.wraps(f)
        def w(*a, **k):
            return f"{tag}:{f(*a, **k)}"
        return w
    return wrap
@deco("t")
def hello(name, *, punct="!"):
    "greets"
    return "hi " + name + punct
print(hello("bob"), hello.__name__, hello.__doc__, hello.__wrapped__("x", punct="?"))
def kw(a, b=2, *args, c, d=4, **kw): return (a, b, args, c, d, sorted(kw.items()))
print(kw(1, c=3), kw(1, 2, 3, 4, c=5, e=6), kw(*[1, 2], **{"c": 0, "z": 1}))
def pos_only(a, b, /, c): return a + b + c
print(pos_only(1, 2, c=3))
try: pos_only(a=1, b=2, c=3)
except TypeError as e: print(e)
try: kw(1)
except TypeError as e: print(e)
try: kw(1, c=1, a=2)
except TypeError as e: print(e)
print((lambda *a, **k: (a, k))(1, x=2))
import functools
print(functools.reduce(lambda a, b: a * b, range(1, 6)), functools.partial(int, base=2)("101"))
@functools.lru_cache(maxsize=None)
def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), fib.cache_info().hits > 0)
x = 10
def shadow():
    global x
    x = 20
shadow(); print(x)
def gen_closure():
    vals = []
    def add(v): vals.append(v); return len(vals)
    return add, vals
add, vals = gen_closure(); add(1); add(2); print(vals)
print(2 ** 200 // 3 ** 50, (10 ** 40 + 1) % 97, -(10 ** 25) // 7, (-(10 ** 25)) % 7, 10 ** 25 / 3)
print(int("9" * 50) + 1, str(2 ** 333)[-10:], (2 ** 127 - 1) & 0xFFFF, 1 << 100 >> 98, ~(2 ** 70), (2**70) ^ (2**69))
print(abs(-(2**80)), divmod(2**80, 12345), pow(2, 1000, 10**9 + 7), pow(-3, 3), pow(2**65, 2), hash(2**65) == hash(2**65))
print(round(123456789, -3), round(2**70, -5), int(1e20), int(-1.9e19), float(2**80), (2**80).to_bytes(11, "big")[:3])
print(sorted([2**70, -5, 3.5, 2**69]), max(2**64, 2**63), 2**64 == 2.0**64, 2**53 + 1 == float(2**53 + 1))
import math
print(math.gcd(2**80, 6**30), math.isqrt(10**30), math.factorial(25), math.comb(60, 30), math.lcm(2**40, 3**20))
print(f"{2**70:,}", f"{2**70:x}", f"{-2**70:e}", format(2**64, "_b")[:12], f"{12345678901234567890:>25}")
