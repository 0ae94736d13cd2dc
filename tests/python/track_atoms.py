# Atoms are never tracked; containers and instances are.
import gc

class A:
    pass

for value in (1, 2.5, "str", b"bytes", None, True, 10**30):
    print(repr(value)[:10], gc.is_tracked(value))
for value in ([], {}, A(), set(), lambda: 0):
    print(type(value).__name__, gc.is_tracked(value))
