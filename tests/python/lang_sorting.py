# Stable sorting with keys, on records.
people = [("ann", 31), ("bob", 25), ("cid", 31), ("dee", 25), ("eve", 40)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (-p[1], p[0])))
lst = [3, 1, 2]
lst.sort(key=lambda v: -v)
print(lst)
print(sorted([[2, "b"], [1, "z"], [2, "a"]]))
print(sorted([0.5, -1, 3, 2.5]))
try:
    sorted([1, "a"])
except TypeError as e:
    print(e)
