# @property, @staticmethod and @classmethod.
class Temp:
    scale = "C"

    def __init__(self, c):
        self._c = c

    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32

    @fahrenheit.setter
    def fahrenheit(self, f):
        self._c = (f - 32) * 5 / 9

    @staticmethod
    def describe():
        return "temperature"

    @classmethod
    def freezing(cls):
        return cls(0)

t = Temp(100)
print(t.fahrenheit)
t.fahrenheit = 32
print(t._c)
print(Temp.describe(), t.describe())
f = Temp.freezing()
print(type(f).__name__, f.fahrenheit)
try:
    del t.fahrenheit
except AttributeError as e:
    print("AttributeError", e)
