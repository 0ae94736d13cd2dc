# A missing instance attribute.
class A:
    pass

a = A()
a.y = 1
print(a.y)
print(a.x)
