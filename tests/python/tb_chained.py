# Chained exceptions: the cause and the context blocks of an uncaught traceback.
def load(k):
    try:
        return {}[k]
    except KeyError as e:
        raise ValueError("no " + k) from e

try:
    load("a")
except ValueError as e:
    print(type(e.__cause__).__name__, e.__suppress_context__, type(e.__context__).__name__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise KeyError("k") from None
except KeyError as e:
    print(e.__cause__, e.__suppress_context__, type(e.__context__).__name__)
try:
    raise SystemExit
except SystemExit as e:
    print(e.code, SystemExit(1, 2).code, StopIteration().value, StopIteration(3).value)
e = ValueError("x")
print(e.with_traceback(None) is e, e.__traceback__)
try:
    int("z")
except ValueError:
    x = [][1]
