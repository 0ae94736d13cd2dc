# itertools.count and repeat show their state in their repr, as CPython's do.
import itertools
c = itertools.count(3); next(c); print(repr(c), repr(itertools.count()), repr(itertools.count(1, 2)), repr(itertools.count(1.5)), repr(itertools.count(0, 1.0)), repr(itertools.count(2**70, -1)))
r = itertools.repeat("a", 3); next(r); print(repr(r), repr(itertools.repeat([1])), repr(itertools.repeat(1, -5)))
for _ in r: pass
print(repr(r))
