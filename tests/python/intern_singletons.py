# None, True, False, the empty tuple and one-character strings are shared.
import sys
print(sys.getrefcount(None) > 100)
x = "abc"[1]
y = "xbz"[1]
print(x is y)
print(bool(1) is True, bool(0) is False)
print(type(None)() is None)
