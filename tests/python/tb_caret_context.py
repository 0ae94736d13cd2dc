# An exception while handling another: the implicit context line, carets in both.
def f():
    try:
        {}["k"]
    except KeyError:
        x = undefined_name
f()
