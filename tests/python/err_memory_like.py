# MemoryError can be raised and caught like any exception.
try:
    raise MemoryError()
except MemoryError as e:
    print("caught MemoryError", repr(e))
