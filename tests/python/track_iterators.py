# Which built-in iterators the collector tracks: CPython's range and range_iterator are not GC
# objects (they hold only integers); every iterator that holds another object is tracked.
import gc
import itertools

d = {1: 2}
s = {1}
l = [1]
t = (1,)


class Seq:
    def __getitem__(self, i):
        if i > 2:
            raise IndexError(i)
        return i


cases = [
    ("range(3)", range(3)),
    ("iter(range(3))", iter(range(3))),
    ("iter(range(10**6))", iter(range(10**6))),
    ("reversed(range(3))", reversed(range(3))),
    ("iter(list)", iter(l)),
    ("iter(tuple)", iter(t)),
    ("iter(str)", iter("ab")),
    ("iter(bytes)", iter(b"ab")),
    ("iter(dict)", iter(d)),
    ("iter(d.values())", iter(d.values())),
    ("iter(d.items())", iter(d.items())),
    ("iter(set)", iter(s)),
    ("reversed(list)", reversed(l)),
    ("enumerate", enumerate(l)),
    ("zip", zip(l)),
    ("map", map(str, l)),
    ("filter", filter(None, l)),
    ("count", itertools.count()),
    ("repeat", itertools.repeat(1)),
    ("chain", itertools.chain(l)),
    ("islice", itertools.islice(l, 1)),
    ("iter(callable, sentinel)", iter(int, 1)),
    ("iter(Seq())", iter(Seq())),
    ("generator", (x for x in l)),
]
for name, o in cases:
    print(name, gc.is_tracked(o))

# An exhausted range iterator stays untracked; a collection does not see it.
it = iter(range(2))
print(list(it), gc.is_tracked(it))
gc.collect()
print(gc.is_tracked(it), any(o is it for o in gc.get_objects()))
# A range iterator in a list: the list is tracked, the iterator is not.
holder = [iter(range(5))]
print(gc.is_tracked(holder), gc.is_tracked(holder[0]), next(holder[0]), next(holder[0]))
# Loops over ranges still work as before.
print(sum(i for i in range(10)), [i * i for i in range(5, 0, -2)], list(reversed(range(1, 7, 2))))
