# A default argument value is held by the function object.
import sys
sentinel = object()
print(sys.getrefcount(sentinel))

def f(x=sentinel):
    return x

print(sys.getrefcount(sentinel))
del f
print(sys.getrefcount(sentinel))
