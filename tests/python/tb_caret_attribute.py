# Carets under a failing attribute load inside a call.
class A:
    pass
a = A()
print(a.missing)
