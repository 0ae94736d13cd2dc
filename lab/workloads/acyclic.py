"""acyclic: garbage without cycles. 100 000 live lists of 2 ints, then 2 000 000 times
x = [i, i]; t = (x, i), dropped at the next iteration: reference counting frees all of it, so
every collection is pure overhead.

Usage: acyclic.py [SCALE]  (SCALE multiplies the iteration count; default 1.0)
"""
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
live = [[i, i] for i in range(100_000)]
n = int(2_000_000 * scale)
for i in range(n):
    x = [i, i]
    t = (x, i)
print("acyclic", n, len(live))
