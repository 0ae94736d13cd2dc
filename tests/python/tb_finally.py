# finally runs on the way out of an uncaught exception.
def f():
    try:
        raise TypeError("bad type")
    finally:
        print("finally ran")

f()
