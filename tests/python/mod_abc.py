# abc: ABC/ABCMeta with abstractmethod (CPython's instantiation error, singular and plural),
# inherited abstracts, register() virtual subclasses in isinstance/issubclass.
from abc import ABC, abstractmethod
class Shape(ABC):
    @abstractmethod
    def area(self): ...
class Sq(Shape):
    def __init__(self, s): self.s = s
    def area(self): return self.s ** 2
print(Sq(3).area(), isinstance(Sq(1), Shape))
try: Shape()
except TypeError as e: print(e)
class Multi(ABC):
    @abstractmethod
    def a(self): pass
    @abstractmethod
    def b(self): pass
class Half(Multi):
    def a(self): return 1
try: Half()
except TypeError as e: print(e)
class Full(Half):
    def b(self): return 2
print(Full().a() + Full().b(), sorted(Multi.__abstractmethods__), Full.__abstractmethods__ == frozenset())
class Plain: pass
Shape.register(Plain)
print(issubclass(Plain, Shape), isinstance(Plain(), Shape), issubclass(int, Shape), isinstance(3, Shape))
print(type(Shape).__name__, isinstance(Sq(2), ABC), issubclass(Sq, Shape))
from abc import ABCMeta
class Iface(metaclass=ABCMeta):
    @abstractmethod
    def run(self): ...
class Impl(Iface):
    def run(self): return "ran"
print(Impl().run())
