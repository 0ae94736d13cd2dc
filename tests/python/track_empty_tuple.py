# The empty tuple is a singleton and is never tracked.
import gc
print(gc.is_tracked(()))
empty = ()
print(empty is tuple())
print(gc.is_tracked(tuple([])))
