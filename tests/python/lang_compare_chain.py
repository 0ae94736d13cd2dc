# Chained comparisons, is / in, and comparisons across types.
x = 5
print(1 < x < 10, 1 < x > 10, 1 < 2 < 3 < 4, 3 > 2 == 2, 1 == 1.0, x is not None)
print("a" < "b" < "c", [1, 2] < [1, 3], (1, 2) < (1, 2, 0), "abc" > "abd")
print(2 in [1, 2, 3], 4 not in (1, 2), "ell" in "hello", "k" in {"k": 1}, 3 in {3})
calls = []
def v(n):
    calls.append(n)
    return n
print(v(1) < v(0) < v(2), calls)
print(None is None, [] is [], [] == [])
