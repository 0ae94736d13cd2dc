# Multiple inheritance: C3 method resolution order, super() along it, and CPython's error for an
# inconsistent order.
class A:
    def who(self):
        return ["A"]

class B(A):
    def who(self):
        return ["B"] + super().who()

class C(A):
    def who(self):
        return ["C"] + super().who()

class D(B, C):
    def who(self):
        return ["D"] + super().who()

print([k.__name__ for k in D.__mro__])
print(D().who())
print(issubclass(D, A), isinstance(D(), C), D.__bases__ == (B, C))

class X: pass
class Y: pass
class Z(X, Y): pass
class W(Y, X): pass
try:
    class Bad(Z, W):
        pass
except TypeError as e:
    print("TypeError:", e)

class Base:
    greeting = "hi"
    def __init__(self):
        self.tag = "base"

class Mixin:
    def describe(self):
        return "%s/%s" % (self.greeting, self.tag)

class Thing(Mixin, Base):
    def __init__(self):
        super().__init__()
        self.tag += "+thing"

t = Thing()
print(t.describe(), [k.__name__ for k in Thing.__mro__])
try:
    class Dup(A, A):
        pass
except TypeError as e:
    print("TypeError:", e)
