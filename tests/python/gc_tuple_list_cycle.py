# A cycle through a tuple and a list.
import gc
gc.disable()
gc.collect()
lst = []
t = (lst,)
lst.append(t)
del lst, t
print(gc.collect())
