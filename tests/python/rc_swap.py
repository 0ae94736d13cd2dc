# Rebinding and swapping never leaks a reference.
import sys
a = object()
b = object()
for _ in range(10):
    a, b = b, a
print(sys.getrefcount(a), sys.getrefcount(b))
lst = [a, b]
lst.reverse()
lst.sort(key=id)
print(sys.getrefcount(a), sys.getrefcount(b))
