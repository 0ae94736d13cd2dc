# Each list slot holds a reference.
import sys
o = object()
lst = [o]
print(sys.getrefcount(o))
lst.append(o)
print(sys.getrefcount(o))
lst2 = [o] * 5
print(sys.getrefcount(o))
lst.clear()
print(sys.getrefcount(o))
del lst2
print(sys.getrefcount(o))
print(sys.getrefcount(lst))
