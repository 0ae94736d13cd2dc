# An exception raised while a dying generator is closed is reported ("Exception ignored in")
# and the program goes on.
def bad():
    try:
        yield 1
    finally:
        raise ValueError("error in finally")

g = bad()
next(g)
del g
print("program continues")
