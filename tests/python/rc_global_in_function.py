# A global seen from inside a function that loads it.
import sys
g = object()

def f():
    return sys.getrefcount(g)

print(f())
print(sys.getrefcount(g))
