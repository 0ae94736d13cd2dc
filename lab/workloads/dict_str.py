"""dict_str: text processing with dicts and strs. Builds 100 000 words from a small vocabulary
with f-strings, counts them in a dict, joins and splits the text, indexes every word by its
upper-case form and its first two characters, then sorts the counts. Most objects are short
strs and dict entries: allocation-bound, no cycles.

Usage: dict_str.py [SCALE] [kernel]  (SCALE multiplies the word count; with `kernel`, the
kernel's thread CPU time goes to stderr as `kernel_ns N`)
"""
import sys
import time

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "xe", "zu"]


def words(n):
    out = []
    for i in range(n):
        a = SYLLABLES[i % 10]
        b = SYLLABLES[(i // 10) % 10]
        c = SYLLABLES[(i * 7) % 10]
        out.append(f"{a}{b}{c}{i % 37}")
    return out


def run(n):
    ws = words(n)
    counts = {}
    for w in ws:
        counts[w] = counts.get(w, 0) + 1
    text = " ".join(ws)
    parts = text.split(" ")
    by_upper = {}
    by_prefix = {}
    for w in parts:
        up = w.upper()
        if up in by_upper:
            by_upper[up] += 1
        else:
            by_upper[up] = 1
        p = w[:2]
        lst = by_prefix.get(p)
        if lst is None:
            by_prefix[p] = [w]
        else:
            lst.append(w)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    keys = ",".join(sorted(by_prefix))
    total = sum(len(v) for v in by_prefix.values())
    replaced = text.replace("ka", "KA").count("KA")
    return len(counts), len(by_upper), top, keys, total, replaced


scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
n = max(100, int(100_000 * scale))
t0 = time.thread_time_ns()
result = run(n)
t1 = time.thread_time_ns()
print("dict_str", n, *result)
if sys.argv[2:3] == ["kernel"]:
    print("kernel_ns", t1 - t0, file=sys.stderr)
