# An exception raised in __del__ is reported on stderr and ignored.
class Bad:
    def __del__(self):
        raise RuntimeError("from del")

b = Bad()
del b
print("still running")
