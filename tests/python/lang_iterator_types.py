# type() of iterators names each iterator type as CPython 3.11 does (list_iterator,
# str_ascii_iterator vs str_iterator, dict_keyiterator, enumerate, itertools.count ...).
import itertools
its = [iter([]), iter(()), iter(""), iter("é"), iter({}), iter({}.values()), iter({}.items()), iter(set()),
       iter(range(3)), reversed([]), enumerate([]), zip(), map(str, []), filter(None, []),
       iter(b""), itertools.count(), itertools.repeat(1), itertools.chain()]
for it in its:
    t = type(it)
    shown = repr(it).split(" object")[0] if t.__module__ == "builtins" else t.__module__
    print(t.__name__, t, shown, iter(it) is it, hasattr(it, "__next__"))
print(type(iter([])) is type(iter([1])), type(iter([])) is type(iter(())), isinstance(iter([]), type(iter([2]))))
class Seq:
    def __getitem__(self, i):
        if i > 2: raise IndexError
        return i
print(type(iter(Seq())).__name__, list(iter(Seq())))
