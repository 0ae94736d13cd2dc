# Functions, classes and instances accept weak references.
import weakref

def f():
    pass

class C:
    pass

for obj in (f, C, C()):
    r = weakref.ref(obj)
    print(r() is obj)
