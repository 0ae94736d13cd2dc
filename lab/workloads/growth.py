"""growth: a growing cache of cyclic pairs. 2 000 000 times a = []; b = [a]; a.append(b) (a
two-list cycle); every 10th pair is kept in a cache list (200 000 survivors at the end), the rest
is garbage. The case CPython's 25 % full-collection rule exists for.

Usage: growth.py [SCALE]  (SCALE multiplies the iteration count; default 1.0)
"""
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
cache = []
n = int(2_000_000 * scale)
for i in range(n):
    a = []
    b = [a]
    a.append(b)
    if i % 10 == 0:
        cache.append(a)
print("growth", n, len(cache))
