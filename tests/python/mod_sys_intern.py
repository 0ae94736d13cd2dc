# sys.intern returns one canonical object per string value.
import sys
a = sys.intern("".join(["dyn", "amic string"]))
b = sys.intern("".join(["dynamic", " string"]))
print(a is b, a == b)
try:
    sys.intern(5)
except TypeError as e:
    print("TypeError")
