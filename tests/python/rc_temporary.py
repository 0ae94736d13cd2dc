# A fresh object passed straight in is referenced only by the argument.
import sys
print(sys.getrefcount(object()))
print(sys.getrefcount([]))
print(sys.getrefcount({}))
