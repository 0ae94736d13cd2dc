# `sys` and `time` exist before a script starts (as in CPython): importing them, or importing
# a module a second time, allocates no tracked object, so gc.get_count() does not move.
import gc
gc.disable()
count = gc.get_count
a = count()[0]
import sys
b = count()[0]
import time
c = count()[0]
import gc as gc_again
d = count()[0]
from sys import getrefcount, getsizeof
e = count()[0]
def imports_inside():
    import sys
    import time as t
    return sys, t
imports_inside()
f = count()[0]
print(b - a, c - b, d - c, e - d, f - e)
print(gc_again is gc, imports_inside()[0] is sys)
