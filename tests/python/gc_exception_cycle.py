# A caught exception stored in a local of the frame that raised it: the traceback
# references the frame, the frame references the exception.
import gc
gc.disable()
gc.collect()

def f():
    try:
        raise ValueError("boom")
    except ValueError as e:
        saved = e
    return None

f()
print(gc.collect() > 0)
print(gc.collect())
