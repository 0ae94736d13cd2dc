# gc.get_referrers finds the containers pointing at an object.
import gc

class A:
    pass

target = A()
holder_list = [target]
holder_dict = {"t": target}
holder_tuple = (target,)
refs = gc.get_referrers(target)
print(any(r is holder_list for r in refs))
print(any(r is holder_dict for r in refs))
print(any(r is holder_tuple for r in refs))
other = A()
print(any(r is holder_list for r in gc.get_referrers(other)))
