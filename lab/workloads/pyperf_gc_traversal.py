"""pyperf_gc_traversal: pyperformance's gc_traversal benchmark. 1000 levels of nested lists
(level n holds n references to level n - 1) are kept alive, then gc.collect() runs 20 times over
them: pure traversal, nothing to free.

Usage: pyperf_gc_traversal.py [SCALE]  (SCALE multiplies the 20 collections; default 1.0)
"""
import gc
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
cur = []
for n in range(1000):
    cur = [cur] * n
rounds = max(1, int(20 * scale))
freed = 0
for _ in range(rounds):
    freed += gc.collect()
print("pyperf_gc_traversal", rounds, freed, len(cur))
