# dataclasses: @dataclass with defaults, default_factory, order, frozen, inheritance,
# __post_init__, asdict/astuple/replace/fields, and CPython's errors for bad fields and calls.
from dataclasses import dataclass, field, fields, asdict, astuple, replace, is_dataclass, FrozenInstanceError
@dataclass
class Point:
    x: int
    y: int = 0
    tags: list = field(default_factory=list)
p = Point(1)
print(p, Point(1, 2) == Point(1, 2), Point(1) == Point(2), p.tags, [f.name for f in fields(p)])
print(asdict(Point(3, 4, ["a"])), astuple(Point(3, 4)), replace(p, y=9), is_dataclass(p), is_dataclass(1))
@dataclass(order=True, frozen=True)
class Version:
    major: int
    minor: int = 0
print(sorted([Version(2, 1), Version(1, 5), Version(2, 0)]), Version(1) < Version(1, 1), hash(Version(1, 2)) == hash(Version(1, 2)))
try:
    Version(1).major = 3
except FrozenInstanceError as e:
    print("frozen", e)
@dataclass
class P3(Point):
    z: int = 5
    def norm(self): return self.x + self.y + self.z
print(P3(1, 2), P3(1, 2, [], 3).norm())
@dataclass
class Inv:
    name: str
    price: float
    qty: int = 1
    def __post_init__(self):
        self.total = self.price * self.qty
i = Inv("w", 2.5, 4); print(i, i.total)
try: Inv()
except TypeError as e: print(e)
try: Inv("a", 1, 2, 3)
except TypeError as e: print(e)
try: Inv("a", 1, bad=1)
except TypeError as e: print(e)
print(Point.__hash__ is None, {Version(1): "v"}[Version(1)])
try:
    @dataclass
    class Bad:
        a: int = 0
        b: int
except TypeError as e: print(e)
try:
    @dataclass
    class Bad2:
        a: list = []
except ValueError as e: print(e)
@dataclass(repr=False)
class NoRepr:
    a: int
print(repr(NoRepr(1)).startswith("<"))
@dataclass
class Nested:
    p: Point
    items: dict = field(default_factory=dict)
print(asdict(Nested(Point(1, 2), {"k": Point(0)})))
