# atexit: callbacks run at exit newest first, with their arguments; an error in one is reported and the rest run.
import atexit, sys
def bye(who, punct="!"):
    print("bye", who + punct)
atexit.register(bye, "world")
atexit.register(bye, "kw", punct="?")
@atexit.register
def last():
    print("registered last, runs first")
def bad():
    raise ValueError("boom")
atexit.register(bad)
def gone(): print("never")
atexit.register(gone)
atexit.unregister(gone)
print(atexit._ncallbacks() > 0)
try:
    atexit.register(5)
except TypeError as e:
    print(e)
print("main done")
