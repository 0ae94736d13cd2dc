# itertools beyond the basics: cycle, accumulate, zip_longest, the combinatorics, islice arguments and errors.
import itertools as it
print(list(it.islice(it.cycle("ab"), 5)), list(it.cycle([])))
print(list(it.accumulate([1, 2, 3, 4])), list(it.accumulate([1, 2, 3], lambda a, b: a * b)), list(it.accumulate([], initial=5)), list(it.accumulate([1, 2], initial=10)))
print(list(it.zip_longest("abc", [1], fillvalue="-")), list(it.zip_longest()))
print(list(it.product("ab", range(2))), list(it.product([1, 2], repeat=2)), list(it.product()))
print(list(it.permutations("abc", 2)), list(it.permutations(range(3))), list(it.permutations("ab", 3)))
print(list(it.combinations("abcd", 2)), list(it.combinations("ab", 0)), list(it.combinations_with_replacement("ab", 2)))
print(list(it.starmap(pow, [(2, 3), (3, 2)])), list(it.takewhile(lambda x: x < 3, [1, 2, 5, 1])), list(it.dropwhile(lambda x: x < 3, [1, 2, 5, 1])))
print(list(it.repeat(1, -2)), list(it.islice(range(10), None)), list(it.islice(range(10), 3, None)), list(it.islice(range(10), 1, 8, 3)))
print(list(it.islice(it.count(2.5, 0.5), 3)), list(it.chain()), list(it.chain.from_iterable(["ab", "c"])))
for bad in [lambda: it.islice([], -1), lambda: it.islice([], 0, 1, 0), lambda: it.count("a"), lambda: it.islice([], "x")]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
