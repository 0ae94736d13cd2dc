# A generator frame in the traceback.
def gen():
    yield 1
    raise KeyError("in gen")
for v in gen():
    print(v)
