# raise ... from e: both tracebacks with carets, joined by the direct-cause line.
def parse(s):
    return int(s)
def load(s):
    try:
        return parse(s)
    except ValueError as e:
        raise RuntimeError("bad input") from e
load("x")
