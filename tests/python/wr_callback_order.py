# Several weakrefs to one object: callbacks run newest first.
import weakref

class A:
    pass

a = A()
refs = [weakref.ref(a, lambda r, i=i: print("callback", i)) for i in range(3)]
del a
print("end")
