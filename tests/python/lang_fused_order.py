# Augmented item assignment reads the item before evaluating the right side and writes it
# after (a right side that changes the item does not change what was read); floats from
# locals and constants combine as in CPython; tuples, negative indexes, bool keys.
a = [1.0, 2.0, 3.0]


def bump():
    a[0] = 100.0
    return 1.0


a[0] += bump()
print(a)
a[-1] *= a[1]
a[1] -= 0.25
print(a)
t = (1.5, 2.5)
x = 4.0
y = 0.5
print(t[0] * t[-1], x * y, x / y, x - y, x + y, x * 2.0, x - 1, t[1] + 1)
d = {0: 1.0}
d[0] += 2.0
l = [0, 1]
l[True] += 5
l[0] -= True
print(d, l, x / 0.25)
try:
    x / 0.0
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)
try:
    t[0] += 1.0
except TypeError as e:
    print("TypeError", e, t)
big = [7] * 3
big[2**64 // 2**63] += 1
print(big)
# Ints: floor division and modulo round down, zero divisors raise, bools stay ints, big ints.
i = 7
j = -2
print(i // j, i % j, -i // 2, -i % 2, i * j, i - j, i + 1, i // 2, i % 3, True + True)
print(2**62 * 4, i * 2**63, (2**64) // 3, -(2**64) % 7, 9223372036854775807 + i)
for bad in (lambda: i // 0, lambda: i % 0, lambda: 1.5 % 0.0):
    try:
        bad()
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
# Dicts: o[k] op= v by str and int keys; a missing key raises KeyError before the right side.
counts = {"a": 1, 3: 2}
counts["a"] += 1
counts[3] *= 5
counts[(1, 2)] = 0
counts[(1, 2)] += 1


def side():
    print("right side evaluated")
    return 1


try:
    counts["zz"] += side()
except KeyError as e:
    print("KeyError", e)
print(counts)
