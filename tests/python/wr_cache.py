# A small cache of weak references: entries vanish when the objects die.
import weakref

class Obj:
    def __init__(self, key):
        self.key = key

cache = {}

def remember(o):
    cache[o.key] = weakref.ref(o, lambda r, k=o.key: cache.pop(k))

x = Obj("x"); y = Obj("y")
remember(x); remember(y)
print(sorted(cache))
del x
print(sorted(cache))
print(cache["y"]().key)
del y
print(sorted(cache))
