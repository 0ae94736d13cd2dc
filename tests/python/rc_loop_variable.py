# A for loop variable keeps the last item after the loop.
import sys
items = [object() for _ in range(3)]
for it in items:
    pass
print(sys.getrefcount(items[-1]))
print(sys.getrefcount(items[0]))
del it
print(sys.getrefcount(items[-1]))
