# Arithmetic dunders, reflected operands and NotImplemented.
class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __mul__(self, k):
        if not isinstance(k, int):
            return NotImplemented
        return Vec(self.x * k, self.y * k)
    __rmul__ = __mul__
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __repr__(self):
        return f"Vec({self.x}, {self.y})"

v = Vec(1, 2)
print(v + v, v * 3, 3 * v, -v)
try:
    v * "s"
except TypeError as e:
    print(e)
