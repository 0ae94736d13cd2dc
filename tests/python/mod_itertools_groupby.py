# itertools.groupby (groups share the iterator; an older group ends when the groupby moves on),
# compress, filterfalse, pairwise, tee.
import itertools
print([(k, list(g)) for k, g in itertools.groupby("aabbbcaa")])
print([(k, len(list(g))) for k, g in itertools.groupby([1, 1, 2, 3, 3, 3], key=lambda x: x % 2)])
gs = list(itertools.groupby("aabbc"))
print([(k, list(g)) for k, g in gs])
it = itertools.groupby("aaabbc")
k, g = next(it); print(k, next(g)); k2, g2 = next(it); print(k2, list(g2), list(g))
print([k for k, _ in itertools.groupby([])], [k for k, _ in itertools.groupby("abc")])
print(list(itertools.compress("abcdef", [1, 0, 1, 0, 1, 1])), list(itertools.filterfalse(lambda x: x % 2, range(10))), list(itertools.filterfalse(None, [0, 1, 0, 2])))
print(list(itertools.pairwise("abcd")), list(itertools.pairwise([1])))
a, b = itertools.tee([1, 2, 3]); print(list(a), list(b))
a, b, c = itertools.tee(iter("xy"), 3); print(next(a), list(b), list(a), list(c))
data = sorted([("b", 2), ("a", 1), ("b", 3), ("a", 4)])
for key, grp in itertools.groupby(data, key=lambda t: t[0]):
    print(key, [v for _, v in grp])
