# gc.get_objects lists tracked objects; untracked ones are absent.
import gc

class A:
    pass

a = A()
lst = [1, 2]
objs = gc.get_objects()
print(any(o is a for o in objs))
print(any(o is lst for o in objs))
n = 12345678901
print(any(o is n for o in objs))
del objs
