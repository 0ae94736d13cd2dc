"""churn: a server's request churn. 10 000 live "requests" sit in a ring buffer; 500 000 times a
request req = {"id": i, "kids": kids} is built, kids = [] holding 2 child dicts
{"parent": req, "k": k} (dict + list + 2 dicts = 4 objects in a cycle), and stored in slot
i % 10 000, dropping the request that was there. Every dropped request is cyclic garbage.

Usage: churn.py [SCALE] [kernel]  (SCALE multiplies the iteration count, default 1.0; with
`kernel`, the kernel's thread CPU time goes to stderr as `kernel_ns N`)
"""
import sys
import time

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
live = 10_000
slots = [None] * live
n = int(500_000 * scale)
t0 = time.thread_time_ns()
for i in range(n):
    kids = []
    req = {"id": i, "kids": kids}
    for k in range(2):
        kids.append({"parent": req, "k": k})
    slots[i % live] = req
t1 = time.thread_time_ns()
print("churn", n, len(slots))
if sys.argv[2:3] == ["kernel"]:
    print("kernel_ns", t1 - t0, file=sys.stderr)
