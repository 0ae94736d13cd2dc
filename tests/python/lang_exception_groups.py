# ExceptionGroup and BaseExceptionGroup: construction and its errors, str/repr, split,
# subgroup and derive (nested groups, predicates, tuples of types), and the text the traceback
# module draws for a group (numbered members, nested groups, notes, chained members).
import traceback

eg = ExceptionGroup("msg", [ValueError(1), TypeError(2)])
print(eg, '|', repr(eg), '|', eg.message, eg.exceptions, eg.args)
print([c.__name__ for c in type(eg).__mro__])
print(isinstance(eg, Exception), isinstance(BaseExceptionGroup("m", [KeyboardInterrupt()]), Exception))
print(type(BaseExceptionGroup("m", [ValueError()])).__name__, type(BaseExceptionGroup("m", [KeyboardInterrupt()])).__name__)
print(ExceptionGroup("one", (ValueError(),)))
for bad in [("m", []), ("m", [1]), (1, [ValueError()]), ("m", ValueError()), ("m", {ValueError()}),
            ("m", [KeyboardInterrupt()])]:
    try:
        ExceptionGroup(*bad)
    except Exception as e:
        print(type(e).__name__, e)

class MyGroup(ExceptionGroup):
    pass
try:
    MyGroup("m", [SystemExit()])
except TypeError as e:
    print(e)

m, r = eg.split(ValueError)
print(repr(m), repr(r))
print(repr(eg.subgroup(TypeError)), eg.subgroup(KeyError), eg.split(Exception)[0] is eg)
nested = ExceptionGroup("outer", [ValueError(1), ExceptionGroup("inner", [KeyError(2), ValueError(3)])])
print(nested.split(KeyError))
print(nested.split((KeyError, TypeError)))
print(nested.subgroup(lambda e: isinstance(e, ValueError) and e.args[0] > 1))
print(nested.derive([OSError()]))
try:
    nested.split(42)
except TypeError as e:
    print(e)
nested.add_note("kept")
print(nested.split(KeyError)[0].__notes__)

def fail(n):
    raise ValueError(f"fail {n}")

members = []
for i in range(3):
    try:
        fail(i)
    except ValueError as e:
        members.append(e)
try:
    try:
        fail(9)
    except ValueError as e:
        raise KeyError("chained") from e
except KeyError as e:
    members.append(e)
inner = ExceptionGroup("inner", [OSError(2, 'gone', 'f')])
inner.add_note("inner note")
try:
    raise ExceptionGroup("top", members + [inner] + [IndexError(i) for i in range(13)])
except ExceptionGroup as e:
    # The script's directory differs between machines: print frames with the file name only.
    here = __file__.rsplit("/", 1)[0] + "/"
    print("".join(traceback.format_exception(e)).replace(here, ""))
    print(traceback.format_exception_only(e))
