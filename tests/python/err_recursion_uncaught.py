# Uncaught RecursionError ends the program with a traceback.
def f():
    return f()

f()
