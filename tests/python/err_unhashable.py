# Unhashable keys.
try:
    {}[[1]] = 2
except TypeError as e:
    print(e)
try:
    {[1, 2]}
except TypeError as e:
    print(e)
d = {}
d[{"a": 1}] = 1
