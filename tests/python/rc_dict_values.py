# Dict values and keys hold references.
import sys
o = object()
d = {"a": o}
print(sys.getrefcount(o))
d["b"] = o
print(sys.getrefcount(o))
k = object()
d[k] = 1
print(sys.getrefcount(k))
del d["a"]
print(sys.getrefcount(o))
d.clear()
print(sys.getrefcount(o), sys.getrefcount(k))
