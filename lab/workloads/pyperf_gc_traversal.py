"""pyperf_gc_traversal: pyperformance's gc_traversal benchmark. 1000 levels of nested lists
(level n holds n references to level n - 1) are kept alive, then gc.collect() runs 20 times over
them: pure traversal, nothing to free.

Usage: pyperf_gc_traversal.py [SCALE] [kernel]  (SCALE multiplies the 20 collections,
default 1.0; with `kernel`, the kernel's thread CPU time goes to stderr as `kernel_ns N`)
"""
import gc
import sys
import time

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
cur = []
for n in range(1000):
    cur = [cur] * n
rounds = max(1, int(20 * scale))
freed = 0
t0 = time.thread_time_ns()
for _ in range(rounds):
    freed += gc.collect()
t1 = time.thread_time_ns()
print("pyperf_gc_traversal", rounds, freed, len(cur))
if sys.argv[2:3] == ["kernel"]:
    print("kernel_ns", t1 - t0, file=sys.stderr)
