# Dict literals and comprehensions follow the same rule.
import gc
print(gc.is_tracked({1: 2}))
print(gc.is_tracked({"a": None, "b": 3.0}))
print(gc.is_tracked({"a": [1]}))
print(gc.is_tracked({i: i for i in range(3)}))
print(gc.is_tracked({i: [i] for i in range(3)}))
