# Comparing containers holding the same three items.
import sys
items = (1, 2, 3)
t = tuple(items)
l = list(items)
s = set(items)
d = dict.fromkeys(items)
print(sys.getsizeof(t) < sys.getsizeof(l))
print(sys.getsizeof(l) < sys.getsizeof(s))
print(sys.getsizeof(t) < sys.getsizeof(d))
