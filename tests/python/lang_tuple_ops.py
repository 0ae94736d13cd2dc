# Tuples: packing, indexing, count/index, comparisons, hashing.
t = 1, 2, 3
print(t, t[0], t[-1], t[1:], len(t), t.count(2), t.index(3))
print((1,), (), tuple("ab"), (1, 2) + (3,), (0,) * 3)
print(hash((1, 2)) == hash((1, 2)), {(1, 2): "pair"}[(1, 2)])
print(max((1, "b"), (1, "a")), (1, 2) == (1, 2), (1, 2) != (2, 1))
