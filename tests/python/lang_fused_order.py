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
