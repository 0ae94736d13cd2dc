# Using a local before assignment.
def f():
    print(x)
    x = 1

f()
