# Slicing: reading with steps and negative bounds, slice assignment and deletion, slice objects.
a = list(range(10))
print(a[2:5], a[:3], a[7:], a[-3:], a[::2], a[::-1], a[8:2:-2], a[-100:100], a[5:2])
t = tuple(a)
print(t[1:4], t[::-3], "hello"[1:-1], "hello"[::-1], "hello"[10:])
b = a[:]
b[2:4] = ["x", "y", "z"]
print(b)
b[::3] = [0, 0, 0, 0]
print(b)
del b[1:3]
print(b)
del b[::2]
print(b)
b[len(b):] = [99]
print(b)
try:
    b[::2] = [1]
except ValueError as e:
    print("ValueError:", e)
s = slice(1, 8, 3)
print(a[s], s.start, s.stop, s.step, s.indices(5))
print(a[slice(None, None, -4)], "abcdef"[slice(2)])
try:
    a[::0]
except ValueError as e:
    print("ValueError:", e)
