# Unbounded recursion raises RecursionError at the recursion limit, and it can be caught.
import sys

def down(n):
    return down(n + 1)

try:
    down(0)
except RecursionError as e:
    print("RecursionError:", e)
print(sys.getrecursionlimit())
