# gc.get_stats(): one dict per generation with collections, collected, uncollectable.
import gc
gc.disable()
st = gc.get_stats()
print(len(st))
print(sorted(st[0]))
print(all(isinstance(v, int) for s in st for v in s.values()))
