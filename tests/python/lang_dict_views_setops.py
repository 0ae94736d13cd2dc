# Keys and items views are set-like: & | - ^ give sets, comparisons are subset tests.
d = {'a': 1, 'b': 2, 'c': 3}
k, it = d.keys(), d.items()
print(sorted(k & {'a', 'z'}), sorted(k | {'z'}), sorted(k - {'a'}), sorted(k ^ {'a', 'q'}))
print(sorted({'a', 'z'} & k), sorted({'a', 'z'} - k), sorted({'a', 'z'} | k), sorted(['a', 'y'] ^ k))
print(sorted(k & ['c', 'c', 'x']), sorted(['c', 'x'] & k), type(k & {'a'}).__name__)
print(sorted(k & {'a': 0}.keys()), sorted(k - d.keys()), k - d.keys())
print(sorted(it & {('a', 1), ('b', 9)}), sorted(it - {('a', 1)}), sorted(it | [('z', 0)]))
n = {1: 'x', 2: 'y', 3: 'z'}
print(n.keys() & {2, 3, 4}, n.keys() | {0}, n.keys() - {1}, n.keys() ^ {3, 4}, {2, 5} & n.keys())
print(k == {'a', 'b', 'c'}, k == frozenset('abc'), {'a', 'b', 'c'} == k, k == ['a', 'b', 'c'])
print(k != {'a'}, k == {'a': 9, 'b': 9, 'c': 9}.keys(), it == {('a', 1), ('b', 2), ('c', 3)})
print(k <= {'a', 'b', 'c', 'd'}, k < {'a', 'b', 'c'}, k >= {'a'}, k > {'a', 'b', 'c'})
print({'a'} < k, {'a', 'b', 'c', 'd'} > k, {'a'} <= it)
print(d.values() == d.values(), d.values() != d.values())
v = d.values()
print(v == v)
print(k.isdisjoint(['x']), k.isdisjoint('a'), it.isdisjoint([('a', 1)]), it.isdisjoint({}))
d['d'] = 4
print(sorted(k & {'d'}), len(k | set()))
def values_and():
    return d.values() & {1}
def keys_lt():
    return d.keys() < 3
def keys_and_int():
    return d.keys() & 5
def items_add():
    return d.items() + d.items()
for bad in (values_and, keys_lt, keys_and_int, items_add):
    try:
        bad()
    except TypeError as e:
        print(bad.__name__, "->", "TypeError:", e)
