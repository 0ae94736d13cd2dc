# Classes are always in cycles (the class, its MRO tuple, its dict, its descriptors...).
import gc
gc.disable()
gc.collect()

def make():
    class Temp:
        pass
    return Temp

T = make()
print(T.__name__)
del T
print(gc.collect() > 0)
print(gc.collect())
