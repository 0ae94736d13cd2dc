# Sets of ints (deterministic order) and set algebra.
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(a <= {1, 2, 3, 4, 5}, {1} < a, a.isdisjoint({9}), 3 in a)
a.add(10)
a.discard(1)
a.remove(2)
print(sorted(a), len(a))
try:
    a.remove(99)
except KeyError as e:
    print("KeyError", e)
f = frozenset([1, 2, 2, 3])
print(sorted(f), len(f), hash(f) == hash(frozenset([3, 2, 1])))
print(set(), sorted(set("hello")), {x % 3 for x in range(10)})
