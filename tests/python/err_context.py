# An exception raised while handling another keeps it on __context__.
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise KeyError("second")
except KeyError as e:
    print(type(e.__context__).__name__)
    print(e.__cause__)
