# A traceback from inside a lambda called by map.
values = [3, 2, 0]
print(list(map(lambda v: 6 // v, values[:2])))
print(list(map(lambda v: 6 // v, values)))
