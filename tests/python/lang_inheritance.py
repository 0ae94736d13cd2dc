# Single and multiple inheritance, super(), the MRO.
class A:
    def who(self):
        return "A"
    def hello(self):
        return "hello from " + self.who()

class B(A):
    def who(self):
        return "B>" + super().who()

class C(A):
    def who(self):
        return "C>" + super().who()

class D(B, C):
    def who(self):
        return "D>" + super().who()

print(D().hello())
print([k.__name__ for k in D.__mro__])
print(issubclass(D, A), issubclass(A, D), isinstance(D(), C))

class Base:
    def __init__(self, x):
        self.x = x

class Child(Base):
    def __init__(self, x, y):
        super().__init__(x)
        self.y = y

c = Child(1, 2)
print(c.x, c.y)
print(D.__bases__ == (B, C), A.__bases__ == (object,))
