"""pyperf_gc_collect: pyperformance's gc_collect benchmark. Each round builds 100 rings of 21
Node instances linked by next/prev attributes, drops them, and runs a full gc.collect().

Usage: pyperf_gc_collect.py [SCALE] [kernel]  (SCALE multiplies the 50 rounds, default 1.0;
with `kernel`, the kernel's thread CPU time goes to stderr as `kernel_ns N`)
"""
import gc
import sys
import time


class Node:
    def __init__(self):
        self.next = None
        self.prev = None


def ring(n_links):
    first = Node()
    cur = first
    for _ in range(n_links):
        nxt = Node()
        cur.next = nxt
        nxt.prev = cur
        cur = nxt
    cur.next = first
    first.prev = cur
    return first


scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
rounds = max(1, int(50 * scale))
freed = 0
t0 = time.thread_time_ns()
for _ in range(rounds):
    rings = [ring(20) for _ in range(100)]
    del rings
    freed += gc.collect()
t1 = time.thread_time_ns()
print("pyperf_gc_collect", rounds, freed)
if sys.argv[2:3] == ["kernel"]:
    print("kernel_ns", t1 - t0, file=sys.stderr)
