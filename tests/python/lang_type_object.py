# type() and object basics.
class A:
    pass
print(type(A), type(A()).__name__, type(type), type(object), A.__name__, A.__qualname__)
o = object()
print(type(o).__name__, isinstance(o, object), isinstance(A, type))
B = type("B", (A,), {"x": 5})
print(B.x, B.__name__, issubclass(B, A), B().x)
print(object.__name__, int.__name__, type(None).__name__)
