# itertools: repeat, count, chain, islice.
import itertools
print(list(itertools.repeat("x", 3)))
print(list(itertools.islice(itertools.count(), 5)))
print(list(itertools.islice(itertools.count(10, 5), 3)))
print(list(itertools.chain([1, 2], (3,), "ab")))
print(list(itertools.islice("abcdefg", 2, 6, 2)))
print(list(itertools.chain.from_iterable([[1], [2, 3]])))
print(list(zip(itertools.count(1), "abc")))
print(list(itertools.islice(itertools.repeat(0), 4)))
