# wr.__callback__ is the callback until it has run (then None); a dead weakref stays callable.
import weakref

class A:
    pass

def cb(r):
    print("cb sees __callback__", r.__callback__)

a = A()
r = weakref.ref(a, cb)
print(r.__callback__ is cb)
print(weakref.ref(a).__callback__)
del a
print(r.__callback__, r())
