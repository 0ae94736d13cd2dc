# LOAD_GLOBAL's cache: a global or builtin found once must follow every later change.
import sys

def get_x():
    return x

x = 1
print([get_x() for _ in range(3)])
x = 2                                   # rebinding the global
print(get_x())
globals()["x"] = 3                      # through the globals dict
print(get_x())
del x                                   # deleted: NameError
try:
    get_x()
except NameError as e:
    print("NameError", e)
x = 4
print(get_x())

def use_len():
    return len("abc")

print([use_len() for _ in range(3)])    # cached from the builtins
len = lambda s: "shadowed"              # a global shadows the builtin
print(use_len())
del len                                 # the builtin shows again
print(use_len())

# Many globals added between loads (the dict grows and moves its entries).
def get_y():
    return y
y = "y0"
print(get_y())
for i in range(50):
    globals()["g%d" % i] = i
print(get_y(), g49)
for i in range(0, 50, 3):
    del globals()["g%d" % i]
y = "y1"
print(get_y(), g49)

# A function reads the same name from the builtins in a loop while another rebinds it.
def loop():
    out = []
    for i in range(4):
        out.append(abs(-i))
        if i == 1:
            globals()["abs"] = lambda v: "mine"
    return out
print(loop())
del abs
print(loop())
del abs

# Reference counts: cached globals hold no extra reference.
obj = object()
def read_obj():
    return obj
for _ in range(5):
    read_obj()
print(sys.getrefcount(obj))
def f():
    pass
for _ in range(5):
    f()
print(sys.getrefcount(f))
