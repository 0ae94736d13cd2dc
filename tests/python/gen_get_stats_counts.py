# Each gc.collect(g) adds one to generation g's collection count and its collected objects.
import gc
gc.disable()
gc.collect()

class A:
    pass

before = gc.get_stats()
a = A(); a.me = a; del a
gc.collect(0)
gc.collect(0)
gc.collect(1)
b = A(); c = A(); b.c = c; c.b = b; del b, c
gc.collect()
after = gc.get_stats()
for g in range(3):
    print(g, after[g]["collections"] - before[g]["collections"],
          after[g]["collected"] - before[g]["collected"],
          after[g]["uncollectable"] - before[g]["uncollectable"])
