# match statements: literal, capture, wildcard, value, as, or patterns and guards.


def describe(x):
    match x:
        case 0:
            return "zero"
        case 1 | 2 | 3:
            return "small"
        case -1:
            return "minus one"
        case 1.5:
            return "one and a half"
        case "hello":
            return "greeting"
        case b"raw":
            return "bytes"
        case None:
            return "none"
        case True:
            return "true"
        case False:
            return "false"
        case _:
            return "other"


for v in [0, 1, 2, 3, -1, 1.5, "hello", b"raw", None, True, False, 0.0, 1.0, "x", 99]:
    print(repr(v), describe(v))


class Color:
    RED = 1
    GREEN = 2
    BLUE = 3


def color(c):
    match c:
        case Color.RED:
            return "red"
        case Color.GREEN | Color.BLUE as other:
            return "green or blue: " + str(other)
        case unknown:
            return "unknown " + repr(unknown)


for c in [1, 2, 3, 4]:
    print(c, color(c))


def guarded(n):
    match n:
        case int(x) if x < 0:
            return "negative"
        case x if x % 2 == 0:
            return "even " + str(x)
        case x:
            return "odd " + str(x)


for n in [-5, 4, 7]:
    print(n, guarded(n))

# Names bound at module level; a failed guard leaves the capture bound.
match 10:
    case y if y > 100:
        print("big")
    case _:
        print("not big, y =", y)

# No case matches: nothing runs.
match "zzz":
    case "a":
        print("a")
print("after unmatched match")

# as-patterns and nested or-patterns.
match 5:
    case (1 | 5) as z:
        print("z is", z)

# Break and continue inside case bodies.
out = []
for i in range(6):
    match i:
        case 2:
            continue
        case 4:
            break
        case _:
            out.append(i)
print(out)


# A match in a closure, binding a cell variable.
def outer(v):
    match v:
        case [a, b]:
            pass
        case a:
            b = None

    def inner():
        return (a, b)

    return inner()


print(outer([1, 2]), outer(7))

# The subject expression runs once.
calls = []


def subject():
    calls.append(1)
    return 3


match subject():
    case 1:
        pass
    case 2:
        pass
    case 3:
        print("three, calls:", len(calls))

# True and 1 compare equal, but the singleton pattern uses identity.
match 1:
    case True:
        print("identity broken")
    case 1:
        print("1 is not True")
match 1.0:
    case 1:
        print("1.0 == 1")
