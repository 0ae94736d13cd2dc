# DEBUG_SAVEALL keeps built-in containers too.
import gc
gc.disable()
gc.collect()
gc.set_debug(gc.DEBUG_SAVEALL)
lst = [1, 2]
lst.append(lst)
del lst
print(gc.collect())
print(len(gc.garbage), gc.garbage[0][:2])
print(gc.garbage[0][2] is gc.garbage[0])
gc.set_debug(0)
del gc.garbage[:]
print(gc.collect())
