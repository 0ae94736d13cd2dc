# match statements: sequence, mapping and class patterns.


def seq(x):
    match x:
        case []:
            return "empty"
        case [a]:
            return f"one {a}"
        case [a, b]:
            return f"two {a} {b}"
        case [first, *rest] if first == "cmd":
            return f"cmd with {rest}"
        case (a, *mid, z):
            return f"{a}..{z} mid={mid}"
        case _:
            return "not a sequence"


for v in [[], [1], (1, 2), ["cmd", 1, 2], [1, 2, 3, 4], range(3), "ab", b"ab", 5, {"a": 1}]:
    print(repr(v), seq(v))

match [1, [2, 3], (4, 5)]:
    case [x, [y, z], (4 | 6) as w]:
        print("nested", x, y, z, w)

match (1, 2, 3):
    case [*_]:
        print("any sequence")

match [1, 2, 3]:
    case [_, *_, 3]:
        print("ends with 3")

match [1, 2]:
    case [*head, 2]:
        print("head", head)


def mapping(m):
    match m:
        case {"action": "move", "dir": d}:
            return f"move {d}"
        case {"action": "say", **rest}:
            return f"say {sorted(rest.items())}"
        case {"x": 0 | 1 as x}:
            return f"x small {x}"
        case {}:
            return f"some mapping {len(m)}"
        case _:
            return "not a mapping"


for m in [
    {"action": "move", "dir": "north", "extra": 1},
    {"action": "say", "text": "hi", "loud": True},
    {"x": 1},
    {"x": 5},
    {},
    [("action", "move")],
    "action",
]:
    print(mapping(m))


class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class Circle:
    def __init__(self, c, r):
        self.c = c
        self.r = r


def shape(s):
    match s:
        case Point(x=0, y=0):
            return "origin"
        case Point(0, py):
            return f"on y axis at {py}"
        case Point(px, 0):
            return f"on x axis at {px}"
        case Point(x=px, y=py) if px == py:
            return f"diagonal {px}"
        case Circle(c=Point(x=cx), r=r):
            return f"circle at x={cx} radius {r}"
        case Point():
            return "some point"
        case _:
            return "not a shape"


for s in [Point(0, 0), Point(0, 5), Point(3, 0), Point(2, 2), Point(1, 2), Circle(Point(7, 8), 3), 42]:
    print(shape(s))


def builtin(v):
    match v:
        case bool(b):
            return f"bool {b}"
        case int(n):
            return f"int {n}"
        case float():
            return "float"
        case str(s) if s:
            return f"str {s}"
        case str():
            return "empty str"
        case list([a, *_]):
            return f"list starting {a}"
        case tuple((a, b)):
            return f"pair {a} {b}"
        case dict({"k": v}):
            return f"dict k={v}"
        case _:
            return "other"


for v in [True, 3, 2.5, "s", "", [9, 8], (1, 2), {"k": "v"}, None]:
    print(repr(v), builtin(v))

# A missing attribute fails the pattern.
match Circle(1, 2):
    case Circle(c=1, missing=2):
        print("no")
    case Circle(r=r):
        print("r =", r)

# Errors the class pattern raises.
try:
    match Circle(1, 2):
        case Circle(1):
            pass
except TypeError as e:
    print("TypeError:", e)
try:
    match Point(1, 2):
        case Point(1, 2, 3):
            pass
except TypeError as e:
    print("TypeError:", e)
try:
    match 5:
        case int(1, 2):
            pass
except TypeError as e:
    print("TypeError:", e)
not_a_class = 3
try:
    match 5:
        case not_a_class():
            pass
except TypeError as e:
    print("TypeError:", e)


class Sub(Point):
    pass


match Sub(4, 5):
    case Point(a, b):
        print("subclass matches", a, b)


class MyInt(int):
    pass


match MyInt(7):
    case int(n):
        print("int subclass self-matches", n)


# A dict subclass is a mapping; a list subclass a sequence.
class D(dict):
    pass


class L(list):
    pass


match D(a=1):
    case {"a": v}:
        print("dict subclass", v)
match L([1, 2]):
    case [p, q]:
        print("list subclass", p, q)
