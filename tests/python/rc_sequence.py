# The classic course sequence: bind, alias, container, delete.
import sys
x = []
print("after x = []:", sys.getrefcount(x))
y = x
print("after y = x:", sys.getrefcount(x))
z = [x, x]
print("after z = [x, x]:", sys.getrefcount(x))
del y
print("after del y:", sys.getrefcount(x))
z.pop()
print("after z.pop():", sys.getrefcount(x))
z = None
print("after z = None:", sys.getrefcount(x))
