# The gc module has every function the courses use.
import gc
names = ["collect", "enable", "disable", "isenabled", "get_count", "get_threshold", "set_threshold",
         "get_stats", "get_objects", "get_referrers", "get_referents", "is_tracked", "is_finalized",
         "freeze", "unfreeze", "get_freeze_count", "set_debug", "get_debug"]
print(all(callable(getattr(gc, n)) for n in names))
print(type(gc.garbage).__name__, type(gc.callbacks).__name__)
