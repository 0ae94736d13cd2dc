"""fib: recursive Fibonacci, fib(27): about 630 000 Python calls of a two-line function. No
containers are built, so this is the interpreter alone: calls and frames, argument passing,
LOAD_GLOBAL/LOAD_FAST, small-int add and compare.

Usage: fib.py [SCALE] [kernel]  (the work grows like 1.618**n, so n = 27 + log_1.618(SCALE):
SCALE 0.05 runs fib(21); with `kernel`, the kernel's thread CPU time goes to stderr as
`kernel_ns N`)
"""
import math
import sys
import time


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
n = max(5, round(27 + math.log(scale) / math.log(1.618)))
t0 = time.thread_time_ns()
result = fib(n)
t1 = time.thread_time_ns()
print("fib", n, result)
if sys.argv[2:3] == ["kernel"]:
    print("kernel_ns", t1 - t0, file=sys.stderr)
