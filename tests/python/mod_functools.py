import functools
from functools import reduce, partial, wraps, update_wrapper, lru_cache, cache, cmp_to_key, total_ordering

# reduce
print(reduce(lambda a, b: a + b, [1, 2, 3, 4]))
print(reduce(lambda a, b: a * b, range(1, 6), 10))
print(reduce(lambda a, b: a + b, [], 'init'))
print(reduce(lambda a, b: a + b, ['x']))
print(reduce(max, iter([3, 9, 2])))
try:
    reduce(lambda a, b: a + b, [])
except TypeError as e:
    print('TypeError:', e)
try:
    reduce(lambda a, b: a + b, 5)
except TypeError as e:
    print('TypeError:', e)

# partial
def f(a, b, c=0, *, d=1):
    return (a, b, c, d)
p = partial(f, 1)
print(p(2), p(2, 3, d=4))
print(p.func is f, p.args, p.keywords)
q = partial(f, 1, d=5)
print(q(2), q(2, d=6), q.keywords)
pp = partial(q, 2, c=9)
print(pp.func is f, pp.args, pp.keywords, pp())
print(repr(p).startswith('functools.partial(<function f at 0x'), repr(q).endswith(', 1, d=5)'))
print(partial(int, '101')(2), partial(pow, 2)(10))
print(type(p).__name__, callable(p))
try:
    partial(3)
except TypeError as e:
    print('TypeError:', e)
class MyPartial(partial):
    pass
mp = MyPartial(f, 7)
print(mp(8), repr(mp).startswith('MyPartial(<function f'))

# wraps / update_wrapper
def deco(fn):
    @wraps(fn)
    def inner(*a, **k):
        "inner doc"
        return fn(*a, **k) * 2
    return inner
@deco
def doubled(x):
    "Return x."
    return x
doubled_src = doubled
print(doubled(5), doubled.__name__, doubled.__qualname__, doubled.__doc__, doubled.__module__)
print(doubled.__wrapped__(5), doubled.__wrapped__.__name__)
def target(): pass
target.extra = 'yes'
def w(): pass
update_wrapper(w, target)
print(w.__name__, w.extra, w.__wrapped__ is target)
def w2(): "keep"
update_wrapper(w2, target, assigned=('__name__',), updated=())
print(w2.__name__, w2.__doc__, hasattr(w2, 'extra'))
print(functools.WRAPPER_ASSIGNMENTS, functools.WRAPPER_UPDATES)
class Lenish:
    pass
def w3(): pass
update_wrapper(w3, len)
print(w3.__name__, w3.__wrapped__ is len)

# lru_cache
calls = []
@lru_cache(maxsize=2)
def sq(n):
    calls.append(n)
    return n * n
print(sq(2), sq(3), sq(2), sq(4), sq(3), sq(2))
print(calls)
print(sq.cache_info())
info = sq.cache_info()
print(info.hits, info.misses, info.maxsize, info.currsize, info[0], tuple(info))
print(sq.__name__, sq.__wrapped__(5))
sq.cache_clear()
print(sq.cache_info())
@lru_cache
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(60), fib.cache_info())
@lru_cache()
def ident(x, y=0):
    calls.append((x, y))
    return x
calls.clear()
ident(1); ident(1); ident(1.0); ident(1, y=2); ident(1, y=2); ident(x=1)
print(calls, ident.cache_info())
@lru_cache(typed=True)
def ident2(x):
    calls.append(x)
    return x
calls.clear()
ident2(1); ident2(1.0); ident2(1); ident2(True)
print(calls, ident2.cache_info())
@lru_cache(maxsize=None)
def unbounded(x):
    return x
for i in range(300):
    unbounded(i)
print(unbounded.cache_info())
@lru_cache(maxsize=0)
def nocache(x):
    return x
nocache(1); nocache(1)
print(nocache.cache_info())
try:
    lru_cache('x')
except TypeError as e:
    print('TypeError:', e)
try:
    sq([1])
except TypeError as e:
    print('TypeError:', e)
@cache
def c2(x):
    calls.append(x)
    return -x
calls.clear()
print(c2(3), c2(3), calls, c2.cache_info())

# cmp_to_key
def cmp(a, b):
    return (a > b) - (a < b)
print(sorted([3, 1, 2], key=cmp_to_key(cmp)))
print(sorted(['bb', 'a', 'ccc'], key=cmp_to_key(lambda a, b: len(b) - len(a))))
K = cmp_to_key(cmp)
print(K(1) < K(2), K(2) <= K(2), K(3) > K(2), K(1) >= K(2), K(2) == K(2))
print(max([5, 9, 1], key=cmp_to_key(cmp)))

# total_ordering
@total_ordering
class V:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return self.v == o.v
    def __lt__(self, o):
        return self.v < o.v
print(V(1) < V(2), V(1) > V(2), V(2) >= V(2), V(3) <= V(2), V(2) <= V(2))
@total_ordering
class G:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return self.v == o.v
    def __ge__(self, o):
        return self.v >= o.v
print(G(1) < G(2), G(1) > G(2), G(2) >= G(2), G(3) <= G(2), G(2) <= G(2), G(2) > G(2))
print(sorted([G(3), G(1), G(2)])[0].v)
@total_ordering
class NI:
    def __lt__(self, o):
        if not isinstance(o, NI):
            return NotImplemented
        return False
try:
    NI() > 3
except TypeError as e:
    print('TypeError:', e)
try:
    @total_ordering
    class Bare:
        pass
except ValueError as e:
    print('ValueError:', e)
