"""CPython twin of `pyheap bench refcount|create|deep` (run as `python3 -S refcount_bench.py CASE N REPS`).

Prints the median over REPS repetitions of nanoseconds per unit for CASE:

  deep_drop        build [[[...]]] N levels deep, time only `del` of the outermost list
                   (the trashcan unwinds it); unit = the whole drop
  deep_<kind>      the same for N nested lists [x], tuples (x,), dicts {'k': x} or instances
                   (o.next = x); thread CPU time; unit = one level
  create_<type>    create N objects of <type> in a batch (kept in a preallocated list), then
                   drop the batch; unit = object. Types: int (outside the small-int cache),
                   float, str, tuple (2 items), list, dict (1 item), instance (2 attributes),
                   bigint / bigint_1k: (B + i) * 12345 with B = 3**100 / 3**630

The figures include the interpreter's own overhead (bytecode dispatch), which a C-API caller
does not pay; the issue quotes CPython's C-API figure (38 ns/object) separately.
"""
import gc
import sys
import time


class C:
    pass


B, B1K, M = 3**100, 3**630, 12345


def make(kind, i):
    if kind == "int":
        return i + 1000
    if kind == "float":
        return i + 0.5
    if kind == "str":
        return "s" + str(i)
    if kind == "tuple":
        return (i, i)
    if kind == "list":
        return []
    if kind == "dict":
        return {"k": i}
    if kind == "instance":
        o = C()
        o.a = i
        o.b = i
        return o
    if kind == "bigint":
        return (B + i) * M
    if kind == "bigint_1k":
        return (B1K + i) * M
    raise SystemExit(f"unknown type {kind}")


def deep(kind, n):
    """`n` nested containers of `kind` (only the returned outermost one is referenced)."""
    x = [] if kind == "list" else None
    for _ in range(n):
        if kind == "list":
            x = [x]
        elif kind == "tuple":
            x = (x,)
        elif kind == "dict":
            x = {"k": x}
        else:
            o = C()
            o.next = x
            x = o
    return x


def one(case, n):
    if case == "deep_drop":
        x = []
        for _ in range(n):
            x = [x]
        t = time.perf_counter_ns()
        del x
        return time.perf_counter_ns() - t
    if case.startswith("deep_"):
        x = deep(case[len("deep_"):], n)
        t = time.thread_time_ns()
        del x
        return (time.thread_time_ns() - t) / n
    if case.startswith("create_"):
        kind = case[len("create_"):]
        batch = [None] * n
        t = time.perf_counter_ns()
        for i in range(n):
            batch[i] = make(kind, i)
        for i in range(n):
            batch[i] = None
        return (time.perf_counter_ns() - t) / n
    raise SystemExit(f"unknown case {case}")


def main():
    case, n, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    gc.disable()
    xs = sorted(one(case, n) for _ in range(reps))
    print(xs[len(xs) // 2])


main()
