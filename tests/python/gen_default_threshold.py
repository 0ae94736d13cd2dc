# CPython 3.11's default thresholds.
import gc
print(gc.get_threshold())
