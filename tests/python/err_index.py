# Index past the end of a list.
lst = [1, 2, 3]
print(lst[2])
print(lst[3])
