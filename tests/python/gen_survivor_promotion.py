# A live object moves from generation 0 to 1 to 2 as it survives collections; gc.get_objects(g)
# shows where it is.
import gc
gc.disable()
gc.collect()

class A:
    pass

a = A()
def where(o):
    return [g for g in range(3) if any(x is o for x in gc.get_objects(g))]

print(where(a))
gc.collect(0)
print(where(a))
gc.collect(1)
print(where(a))
gc.collect(0)
print(where(a))
