"""Run one Python script under one collector configuration and write what was measured.

Usage: python3 -S -c <this file> RESULT.json T0 T1 T2 DISABLED(0|1) SCRIPT [ARGS...]

The pyheap threshold lab (`pyheap sweep --script SCRIPT --cpython`) runs this in a fresh process
per configuration. The script runs unchanged as __main__ with sys.argv = [SCRIPT, ARGS...]; before
it starts, a full collection empties generation 0 (as pyheap's child does), the thresholds are set
and a gc.callbacks hook times every collection. RESULT.json receives wall time, per-generation
collections and collected objects (gc.get_stats differences), the pauses and the peak RSS
(getrusage ru_maxrss). The script's stdout and stderr are left alone; an uncaught exception prints
its traceback without this wrapper's frame and exits 1.
"""
import gc
import json
import os
import resource
import sys
import time

result_path, t0, t1, t2, disabled, script = sys.argv[1:7]
sys.argv = [script] + sys.argv[7:]
sys.path[0] = os.path.dirname(os.path.abspath(script))
with open(script, "rb") as f:
    code = compile(f.read(), script, "exec")
main = {"__name__": "__main__", "__file__": script, "__builtins__": __builtins__}

# The callback stores only numbers (never tracked by the collector), so timing a collection does
# not change the allocation count that triggers the next one.
pauses = []
stop_ms = []
stop_gen = []
clock = time.perf_counter_ns


def on_gc(phase, info, started=[0]):
    now = clock()
    if phase == "start":
        started[0] = now
    else:
        pauses.append((now - started[0]) / 1e6)
        stop_ms.append((now - start) / 1e6)
        stop_gen.append(info["generation"])


gc.collect()
gc.set_threshold(int(t0), int(t1), int(t2))
if disabled == "1":
    gc.disable()
before = gc.get_stats()
gc.callbacks.append(on_gc)
status = 0
start = clock()
cpu_start = time.thread_time_ns()
try:
    exec(code, main)
except SystemExit as e:
    c = e.code
    status = c if isinstance(c, int) else (0 if c is None else 1)
    if not isinstance(c, int) and c is not None:
        print(c, file=sys.stderr)
except BaseException as e:
    sys.stdout.flush()
    sys.excepthook(type(e), e, e.__traceback__.tb_next)
    status = 1
elapsed = (clock() - start) / 1e6
cpu = (time.thread_time_ns() - cpu_start) / 1e6
gc.callbacks.remove(on_gc)
after = gc.get_stats()
sys.stdout.flush()
with open(result_path, "w") as f:
    json.dump({
        "system": "cpython",
        "time_ms": elapsed,
        "cpu_ms": cpu,
        "collections": [a["collections"] - b["collections"] for a, b in zip(after, before)],
        "collected": [a["collected"] - b["collected"] for a, b in zip(after, before)],
        "pauses_ms": pauses,
        "collection_times": list(zip(stop_ms, stop_gen)),
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }, f)
os._exit(status)
