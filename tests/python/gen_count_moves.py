# gc.get_count()[0] moves by one per tracked allocation and back per deallocation.
import gc
gc.disable()
gc.collect()

class A:
    pass

c0 = gc.get_count()[0]
a = A()
c1 = gc.get_count()[0]
b = A()
c2 = gc.get_count()[0]
del b
c3 = gc.get_count()[0]
print(c1 - c0, c2 - c0, c3 - c0)
