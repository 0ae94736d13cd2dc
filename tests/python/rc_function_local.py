# A local in a function: the frame slot + the argument.
import sys

def f():
    p = object()
    print(sys.getrefcount(p))
    q = p
    print(sys.getrefcount(p))
    del q
    print(sys.getrefcount(p))

f()
