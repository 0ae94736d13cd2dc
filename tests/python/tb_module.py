# The traceback module: format_exception, format_exception_only, format_exc, print_exc,
# print_exception (chained, unchained), against CPython's text.
import traceback


def inner(x):
    return 10 // x


def outer(x):
    return inner(x) + 1


print(repr(traceback.format_exc()))
try:
    outer(0)
except ZeroDivisionError as e:
    text = traceback.format_exc()
    lines = traceback.format_exception(e)
    print(len(lines), lines[0] == "Traceback (most recent call last):\n")
    print(repr(lines[-1]))
    print(text == "".join(lines))
    print(traceback.format_exception_only(e))
    print(traceback.format_exception(type(e), e, e.__traceback__) == lines)
    traceback.print_exc()

try:
    try:
        {}["k"]
    except KeyError as e:
        raise ValueError("bad key") from e
except ValueError as e:
    chained = traceback.format_exception(e)
    alone = traceback.format_exception(e, chain=False)
    print(len(chained) > len(alone), alone[-1])
    traceback.print_exception(e)

print(traceback.format_exception_only(None), traceback.format_exception(None))
print("done")
