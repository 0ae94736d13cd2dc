import gc
# Generation 0's count also holds what compiling this file allocated (which differs between
# the compilers): only the older generations' counts and the statistics are printed.
print(gc.get_count()[1:], [(s["collections"], s["collected"]) for s in gc.get_stats()])
# The script starts where CPython's start-up leaves the collector: six young collections
# done, generation 1's count at 6. With thresholds (10, 2, 2) the first automatic collection
# is then of generation 1 (its count is over 2), and the sequence of collections follows.
# (How much the first collections free also depends on which of the start-up's own young
# objects are garbage, which is not modelled: the sequence of generations is printed.)
gc.set_threshold(10, 2, 2)
seen = []
gc.callbacks.append(lambda phase, info: phase == "stop" and seen.append(info["generation"]))
first = gc.get_stats()[1]["collections"]
keep = []
for i in range(200):
    a, b = [], []
    a.append(b)
    b.append(a)
    if i % 4 == 0:
        keep.append(a)
gc.callbacks.clear()
print(first, seen[:10])
