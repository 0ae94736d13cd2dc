# Blocks, pools and arenas as a Python program sees them: objects of one size class are packed
# into 16 KiB pools carved out of 1 MiB arenas, so id() (an object's address) shows the packing.
#
#   pyheap run examples/python/arenas.py      (same output under python3)
#   pyheap run --stats examples/python/arenas.py    (the allocator's table at exit, on stderr)
import sys

POOL = 16 * 1024
ARENA = 1024 * 1024


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


points = [Point(i, i) for i in range(20000)]
size = sys.getsizeof(points[0])
print("an instance is a small object:", size <= 512)

ids = [id(p) for p in points]
pools = {i // POOL for i in ids}
arenas = {i // ARENA for i in ids}
per_pool = len(ids) / len(pools)
print("20000 instances share far fewer pools:", len(pools) < len(ids) // 50)
print("several hundred instances per pool on average:", per_pool > 100)
print("and only a few arenas:", len(arenas) < 20)

neighbours = sum(1 for a, b in zip(ids, ids[1:]) if a // POOL == b // POOL)
print("most consecutive allocations land in the same pool:", neighbours > len(ids) * 0.9)
steps = {b - a for a, b in zip(ids, ids[1:]) if a // POOL == b // POOL and b > a}
print("blocks in a pool are a multiple of 16 bytes apart:", all(s % 16 == 0 for s in steps))

print()
print("Fragmentation: keep one object in 100 and free the rest.")
survivors = points[::100]
del points, ids
survivor_pools = {id(p) // POOL for p in survivors}
print("the survivors still pin many pools:", len(survivor_pools) > len(survivors) // 4)
fresh = [Point(0, 0) for _ in range(100)]
reused = sum(1 for p in fresh if id(p) // POOL in survivor_pools)
print("new objects reuse those partly empty pools:", reused > 50)
