# An uncaught exception group: chained members, a nested group with a note, notes on the
# group, raised from another group (the drawing on stderr ends with its closing line).
def f():
    raise ValueError("inner")
def g():
    try:
        f()
    except ValueError as e:
        raise TypeError("ctx") from e
excs = []
for h in (f, g):
    try:
        h()
    except Exception as e:
        excs.append(e)
e2 = KeyError('k'); e2.add_note("a note")
inner = ExceptionGroup("inner", [e2, OSError(2, 'x', 'y')])
try:
    raise ExceptionGroup("outer", excs + [inner] + [ValueError(i) for i in range(14)])
except ExceptionGroup as eg:
    eg.add_note("group note")
    try:
        raise RuntimeError("during") 
    except RuntimeError as r:
        raise BaseExceptionGroup("final", [r, KeyboardInterrupt()]) from eg
