# A traceback through three functions; the last line names the exception.
def a():
    b()

def b():
    c()

def c():
    raise ValueError("deep problem")

a()
