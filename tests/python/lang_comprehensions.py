# List, dict and set comprehensions and generator expressions.
print([x * x for x in range(6)])
print([x for x in range(20) if x % 3 == 0 if x % 2 == 0])
print([(x, y) for x in range(3) for y in range(x)])
print({x: x ** 2 for x in range(5)})
print(sorted({c for c in "mississippi"}))
print(sum(x for x in range(101)))
print(list(x * 2 for x in "ab"))
matrix = [[1, 2, 3], [4, 5, 6]]
print([[row[i] for row in matrix] for i in range(3)])
x = "outer"
print([x for x in "in"], x)
