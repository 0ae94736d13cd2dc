"""CPython twins of the threshold-lab workloads (`pyheap sweep --cpython`).

Usage: python3 -S workloads.py WORKLOAD THRESHOLD0 GEN1 GEN2 DISABLED(0|1) SCALE

Runs one workload once with gc.set_threshold(THRESHOLD0, GEN1, GEN2) (or gc.disable()) and prints
one JSON object: time_ms, collections [g0, g1, g2], collected, pauses_ms (one per collection, from
gc.callbacks start/stop), peak_rss_kib (getrusage ru_maxrss of this process). SCALE multiplies the
iteration counts (1.0 = the sizes below; the sweep's --quick uses 0.05).

Each workload does exactly the object work of its Rust twin in src/lab/workloads.rs:

churn     10 000 live "requests" in a ring buffer; 500 000 times: build a request
          req = {"id": i, "kids": kids}, kids = [] holding 2 child dicts {"parent": req, "k": k}
          (dict + list + 2 dicts = 4 objects in a cycle) and store it in slot i % 10 000, dropping
          the request that was there. Every dropped request is cyclic garbage.
growth    2 000 000 times: a = []; b = [a]; a.append(b) (a two-list cycle); every 10th pair is kept
          in a growing cache list (200 000 survivors at the end), the rest is garbage.
trees     binary-trees with parent pointers: a long-lived tree of depth 12, then for each depth
          d in 4, 6, .., 12, 2^(16 - d) trees of depth d are built and dropped. A node is a list
          [left, right, parent].
acyclic   100 000 live lists of 2 ints; 2 000 000 times: x = [i, i]; t = (x, i) then dropped:
          garbage without cycles, freed by reference counting, so every collection is overhead.
pyperf_gc_collect    50 rounds of pyperformance's gc_collect: 100 rings of 21 Node objects
                     (next/prev attributes) built, dropped, then gc.collect().
pyperf_gc_traversal  pyperformance's gc_traversal: 1000 levels of nested lists (level n holds n
                     references to level n-1) kept alive, then 20 gc.collect() calls.
"""
import gc
import json
import resource
import sys
import time


class Node:
    def __init__(self):
        self.next = None
        self.prev = None


def churn(scale):
    live = 10_000
    slots = [None] * live
    for i in range(int(500_000 * scale)):
        kids = []
        req = {"id": i, "kids": kids}
        for k in range(2):
            kids.append({"parent": req, "k": k})
        slots[i % live] = req
    return slots


def growth(scale):
    cache = []
    for i in range(int(2_000_000 * scale)):
        a = []
        b = [a]
        a.append(b)
        if i % 10 == 0:
            cache.append(a)
    return cache


def tree(depth, parent):
    node = [None, None, parent]
    if depth > 0:
        node[0] = tree(depth - 1, node)
        node[1] = tree(depth - 1, node)
    return node


def trees(scale):
    long_lived = tree(12, None)
    for d in range(4, 13, 2):
        for _ in range(max(1, int(2 ** (16 - d) * scale))):
            tree(d, None)
    return long_lived


def acyclic(scale):
    live = [[i, i] for i in range(100_000)]
    for i in range(int(2_000_000 * scale)):
        x = [i, i]
        t = (x, i)
    return live


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


def pyperf_gc_collect(scale):
    for _ in range(max(1, int(50 * scale))):
        rings = [ring(20) for _ in range(100)]
        del rings
        gc.collect()


def pyperf_gc_traversal(scale):
    cur = []
    for n in range(1000):
        cur = [cur] * n
    for _ in range(max(1, int(20 * scale))):
        gc.collect()
    return cur


WORKLOADS = {f.__name__: f for f in (churn, growth, trees, acyclic, pyperf_gc_collect, pyperf_gc_traversal)}


def main():
    name, t0, t1, t2, disabled, scale = sys.argv[1:7]
    work = WORKLOADS[name]
    gc.collect()
    gc.set_threshold(int(t0), int(t1), int(t2))
    pauses = []
    started = [0]

    def on_gc(phase, info):
        if phase == "start":
            started[0] = time.perf_counter_ns()
        else:
            pauses.append((time.perf_counter_ns() - started[0]) / 1e6)

    before = gc.get_stats()
    gc.callbacks.append(on_gc)
    if disabled == "1":
        gc.disable()
    t = time.perf_counter_ns()
    keep = work(float(scale))
    elapsed = (time.perf_counter_ns() - t) / 1e6
    gc.callbacks.remove(on_gc)
    after = gc.get_stats()
    del keep
    print(json.dumps({
        "system": "cpython",
        "workload": name,
        "time_ms": elapsed,
        "collections": [a["collections"] - b["collections"] for a, b in zip(after, before)],
        "collected": sum(a["collected"] - b["collected"] for a, b in zip(after, before)),
        "pauses_ms": pauses,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))


main()
