# Identifier-like string constants are interned; sys.intern interns any string.
import sys
a = "hello"
b = "hel" + "lo"
print(a is b)
c = "".join(["hel", "lo"])
print(a is c, a == c)
print(sys.intern(c) is a)
d = "".join(["not an ", "identifier!"])
e = "".join(["not an ", "identifier!"])
print(d is e)
print(sys.intern(d) is sys.intern(e))
