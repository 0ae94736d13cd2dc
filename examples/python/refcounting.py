# Reference counting, step by step: every name, container slot and argument is one reference.
#
#   pyheap run examples/python/refcounting.py      (same output under python3)
#
# sys.getrefcount(x) counts its own argument too, so a fresh object bound to one name reads 2.
import sys


def show(label, obj):
    # Two more references while we are in here: our parameter and getrefcount's argument.
    print(f"{label:<38} refcount = {sys.getrefcount(obj) - 2}")


x = []
show("x = []", x)
y = x
show("y = x", x)
box = [x, x]
show("box = [x, x]", x)
holder = {"key": x}
show('holder = {"key": x}', x)


class Owner:
    pass


owner = Owner()
owner.attr = x
show("owner.attr = x", x)
del y
show("del y", x)
box.clear()
show("box.clear()", x)
holder = None
show("holder = None", x)
del owner
show("del owner (its attribute goes with it)", x)


class Loud:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print(f"  -> {self.name} freed: its count reached zero")


print()
print("An object dies the moment its last reference goes:")
a = Loud("a")
b = a
print("del a")
del a
print("del b")
del b
print("rebinding c:")
c = Loud("first")
c = Loud("second")
print("end of the story")
del c
