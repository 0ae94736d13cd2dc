# dir() of built-in types and their instances lists their methods and data attributes, and a
# module lists its namespace. Each public name dir shows can be fetched with getattr.
import sys
def gen():
    yield 1
class A:
    pass
for o in (1, True, 1.5, [], (), {}, set(), frozenset(), {}.keys(), {}.values(), {}.items(),
          range(3), slice(1), None, A(), object(), property()):
    skip = ("from_bytes", "to_bytes", "fromhex", "mapping") + (("count", "index") if type(o) is range else ())
    names = [n for n in dir(o) if not n.startswith("_") and n not in skip]
    print(type(o).__name__, names)
    for n in names:
        getattr(o, n)
print([n for n in dir("") if n in ("find", "rfind", "startswith", "isascii", "istitle", "zfill")])
print("append" in dir(list), "__len__" in dir([]), "__add__" in dir(int), "__sizeof__" in dir(object))
print("__getitem__" in dir(frozenset()), "__contains__" in dir({}.values()), "is_integer" in dir(1))
print([n for n in dir(A) if n in ("__module__", "__bases__", "__qualname__", "__mro__")])
import gc
print([n for n in dir(gc) if n in ("collect", "get_count", "DEBUG_SAVEALL", "__eq__")])
class S:
    __slots__ = ("x",)
print(sys.getsizeof([]) - [].__sizeof__(), sys.getsizeof(1) - (1).__sizeof__(), sys.getsizeof(S()) - S().__sizeof__())
print([1, 2, 3].__sizeof__() > [].__sizeof__(), "abc".__sizeof__() == sys.getsizeof("abc"))
