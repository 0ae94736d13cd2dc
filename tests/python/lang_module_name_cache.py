# Module-level names (STORE_NAME / LOAD_NAME) through the per-name cache: every store, delete,
# globals() change, exec and class body must show at once, as CPython's dict look-ups do.
import sys

total = 0
for i in range(5):                      # i, total: stored in place once cached
    total = total + i
print(total, i)

x = 1
x = x + 1
print(x)
del x                                   # the entry goes: NameError, not a stale value
try:
    print(x)
except NameError as e:
    print("NameError", e)
x = "back"
print(x)

globals()["x"] = "via globals()"        # same key, value replaced through the dict
print(x)
g = globals()
del g["x"]
g["x"] = "re-inserted"                  # a new entry, maybe at another index
print(x)
for n in range(30):                     # the dict grows and moves to its large form
    g["filler%d" % n] = n
x = x + "!"
print(x, filler29)
for n in range(0, 30, 2):               # entries removed before x's: indices shift
    del g["filler%d" % n]
x = x + "?"
print(x, filler29)

# A key that is an equal str but another object: found by value.
key = "".join(["y", "y"])
g[key] = "equal key"
print(yy)
yy = "stored by name"
print(g[key], yy)

# Builtins: cached from the builtins, then shadowed by a module-level store, then unshadowed.
for _ in range(3):
    r = len("abc")
print(r)
len = lambda s: "shadowed"
print(len("abc"))
del len
print(len("abc"))

# A class body's names live in its own dict; module names stay as they were.
class C:
    x = "class x"
    y = x + "!"
    print(x, y)
print(x, C.x, C.y)

# Reference counts are unchanged by the cache.
obj = object()
for _ in range(4):
    held = obj
print(sys.getrefcount(obj))
del held
print(sys.getrefcount(obj))
