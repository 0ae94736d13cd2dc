# Tuples hold references to their items.
import sys
o = object()
t = (o, o, o)
print(sys.getrefcount(o))
u = (t, o)
print(sys.getrefcount(o), sys.getrefcount(t))
del t
print(sys.getrefcount(o))
del u
print(sys.getrefcount(o))
