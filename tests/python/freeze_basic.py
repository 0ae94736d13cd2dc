# gc.freeze moves every tracked object to the permanent generation.
import gc
gc.disable()
gc.collect()

class A:
    pass

print(gc.get_freeze_count())
gc.freeze()
n = gc.get_freeze_count()
print(n > 0)
print(gc.get_count())
gc.unfreeze()
print(gc.get_freeze_count())
