"""CPython twin of `pyheap bench collect|cycles|pyperf` (run as `python3 -S gc_bench.py CASE N REPS`).

Prints one float: the median, over REPS repetitions, of nanoseconds per unit for CASE:

  live_lists   full collection (gc.collect(2)) of a live list holding N empty lists; unit = object
  dead_pairs   gc.collect(2) freeing N two-list cycles (a <-> b); unit = freed object (2N)
  live_instances       full collection of a live list holding N Node() instances; unit = object
  dead_instance_pairs  gc.collect(2) freeing N two-instance cycles (a.next = b, b.next = a);
                       unit = freed object (2N)
  pyperf_gc_collect    pyperformance's gc_collect shape: N cycles of 21 linked nodes
                       (next/prev attributes), collect; unit = one collect() call
  pyperf_gc_traversal  pyperformance's gc_traversal shape: N levels of nested lists where
                       level n holds n references to level n-1; collect with nothing to free;
                       unit = one collect() call

The automatic collector is disabled so only the measured collect() runs. Times are thread CPU
time (time.thread_time_ns), as on the Rust side.
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


def nested_levels(n_levels):
    cur = []
    for n in range(n_levels):
        cur = [cur] * n
    return cur


def one(case, n):
    gc.collect()
    if case == "live_lists":
        keep = [[] for _ in range(n)]
        gc.collect()
        t = time.thread_time_ns()
        gc.collect()
        dt = time.thread_time_ns() - t
        del keep
        return dt / n
    if case == "dead_pairs":
        for _ in range(n):
            a = []
            b = [a]
            a.append(b)
        del a, b
        t = time.thread_time_ns()
        freed = gc.collect()
        dt = time.thread_time_ns() - t
        assert freed == 2 * n, freed
        return dt / (2 * n)
    if case == "live_instances":
        keep = [Node() for _ in range(n)]
        gc.collect()
        t = time.thread_time_ns()
        gc.collect()
        dt = time.thread_time_ns() - t
        del keep
        return dt / n
    if case == "dead_instance_pairs":
        for _ in range(n):
            a = Node()
            b = Node()
            a.next = b
            b.next = a
        del a, b
        t = time.thread_time_ns()
        freed = gc.collect()
        dt = time.thread_time_ns() - t
        assert freed == 2 * n, freed
        return dt / (2 * n)
    if case == "pyperf_gc_collect":
        rings = [ring(20) for _ in range(n)]
        del rings
        t = time.thread_time_ns()
        freed = gc.collect()
        dt = time.thread_time_ns() - t
        assert freed >= n * 21, freed
        return dt
    if case == "pyperf_gc_traversal":
        keep = nested_levels(n)
        gc.collect()
        t = time.thread_time_ns()
        freed = gc.collect()
        dt = time.thread_time_ns() - t
        assert freed == 0, freed
        del keep
        return dt
    raise SystemExit(f"unknown case {case}")


def main():
    case, n, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    gc.disable()
    xs = sorted(one(case, n) for _ in range(reps))
    print(xs[len(xs) // 2])


main()
