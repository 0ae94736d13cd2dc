# A set holds one reference per member.
import sys

class K:
    pass

k = K()
s = {k}
print(sys.getrefcount(k))
s.add(k)
print(sys.getrefcount(k))
s.discard(k)
print(sys.getrefcount(k))
