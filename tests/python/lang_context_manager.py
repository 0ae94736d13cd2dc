# with: __enter__, __exit__, exceptions passed to __exit__ and suppressed.
class Ctx:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None)
        return self.suppress

with Ctx("a") as v:
    print("inside", v)
with Ctx("b", suppress=True):
    raise ValueError("swallowed")
print("after b")
try:
    with Ctx("c"):
        raise KeyError("passes")
except KeyError:
    print("caught KeyError")
with Ctx("outer"), Ctx("inner"):
    print("both")
