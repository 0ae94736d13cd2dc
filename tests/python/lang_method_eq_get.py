# Bound methods compare equal when their object is the same and their functions are equal; function.__get__.
class M:
    def meth(self): return "m"
    def other(self): pass
m = M(); n = M()
print(m.meth == m.meth, m.meth is m.meth, m.meth == n.meth, m.meth != m.other, hash(m.meth) == hash(m.meth))
print([1].append == [1].append)
l = [1]
print(l.append == l.append)
def f(self=None): return self
print(f.__get__(None, int) is f)
try: f.__get__()
except TypeError as e: print(e)
try: f.__get__(None, None)
except TypeError as e: print(e)
class C: pass
c = C()
m = f.__get__(c)
print(m.__func__ is f, m.__self__ is c, m() is c)
print(f.__get__(c, C)() is c)
