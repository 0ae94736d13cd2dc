# __hash__ and __eq__ that raise: the exception reaches the caller, the container is unchanged.
class BadHash:
    def __hash__(self):
        raise ValueError("no hash")

class BadEq:
    def __hash__(self):
        return 1

    def __eq__(self, other):
        raise RuntimeError("no eq")

d = {}
try:
    d[BadHash()] = 1
except ValueError as e:
    print("ValueError", e, len(d))
k = BadEq()
d[k] = 1
try:
    d[BadEq()] = 2
except RuntimeError as e:
    print("RuntimeError", e, len(d), d[k])
try:
    print(BadEq() in d)
except RuntimeError as e:
    print("in:", e)
s = set()
try:
    s.add(BadHash())
except ValueError as e:
    print("set.add:", e, len(s))
s.add(k)
try:
    s.add(BadEq())
except RuntimeError as e:
    print("set.add:", e, len(s))
try:
    s.discard(BadEq())
except RuntimeError as e:
    print("set.discard:", e, len(s))

class NoHash:
    def __eq__(self, other):
        return True

try:
    {NoHash(): 1}
except TypeError as e:
    print("TypeError:", e)
try:
    {NoHash()}
except TypeError as e:
    print("TypeError:", e)

class StrHash:
    def __hash__(self):
        return "x"

try:
    hash(StrHash())
except TypeError as e:
    print("TypeError:", e)
try:
    {StrHash(): 1}
except TypeError as e:
    print("TypeError:", e)

class Flaky:
    n = 0

    def __hash__(self):
        return 5

    def __eq__(self, other):
        Flaky.n += 1
        if Flaky.n == 2:
            raise KeyError("second compare")
        return False

d = {Flaky(): "first"}
try:
    d[Flaky()] = "second"
    d[Flaky()] = "third"
except KeyError as e:
    print("KeyError", e, len(d))
print(sorted(d.values()))
