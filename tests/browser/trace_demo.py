# The browser test's program: names and refcounts, a cycle the collector frees, and enough
# small lists to map extra arenas that go back to the OS when they are deleted.
import gc
import sys

x = [1, 2, 3]
print("rc_x", sys.getrefcount(x))
y = x
print("rc_x", sys.getrefcount(x))


def pair():
    a = {"name": "a"}
    b = {"name": "b", "other": a}
    a["other"] = b
    return len(a)


pair()
freed = gc.collect()
big = [[i] for i in range(40000)]
del big
del y
print("rc_x", sys.getrefcount(x))
print("done", freed)
