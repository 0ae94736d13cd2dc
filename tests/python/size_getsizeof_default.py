# sys.getsizeof returns an int for every object.
import sys

class A:
    pass

for value in (0, 1.5, "s", [], (), {}, set(), A(), None, True, len):
    print(type(value).__name__, type(sys.getsizeof(value)).__name__, sys.getsizeof(value) > 0)
