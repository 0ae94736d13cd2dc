# A list containing itself.
import gc
gc.disable()
gc.collect()
lst = []
lst.append(lst)
del lst
print(gc.collect())
a = []
b = [a]
a.append(b)
del a, b
print(gc.collect())
