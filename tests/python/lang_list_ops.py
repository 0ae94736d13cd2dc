# List methods and slicing.
a = [5, 3, 8, 1]
a.append(9)
a.extend([2, 7])
a.insert(0, 0)
print(a, len(a))
print(a.pop(), a.pop(0), a)
a.remove(8)
print(a, a.index(1), a.count(3))
a.sort()
print(a)
a.sort(reverse=True)
print(a)
a.reverse()
print(a, a[1:3], a[::2], a[-2:], a[:-2], a[::-1])
a[1:3] = ["x", "y", "z"]
print(a)
del a[0]
del a[::2]
print(a)
b = a.copy()
b += [1]
print(a, b, a * 2, [0] * 3, a + b)
print(sorted([3, 1, 2]), sorted("bca"), sorted([3, 1, 2], reverse=True))
