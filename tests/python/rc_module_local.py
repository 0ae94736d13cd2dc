# sys.getrefcount of a module-level name: the module dict + the argument.
import sys
o = object()
print(sys.getrefcount(o))
p = o
print(sys.getrefcount(o))
del p
print(sys.getrefcount(o))
