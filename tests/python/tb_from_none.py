# raise ... from None: the context is suppressed.
try:
    1 / 0
except ZeroDivisionError:
    raise ValueError("again") from None
