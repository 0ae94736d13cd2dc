# __eq__ that changes the dict or set being searched: the lookup starts again on the new table
# (CPython's lookdict), and nothing crashes.
d = {}

class ClearsDict:
    def __init__(self, n):
        self.n = n

    def __hash__(self):
        return 0

    def __eq__(self, other):
        d.clear()
        return False

d[ClearsDict(1)] = 1
d[ClearsDict(2)] = 2
print(len(d), [k.n for k in d])

e = {}

class GrowsDict:
    def __init__(self, n):
        self.n = n

    def __hash__(self):
        return 0

    def __eq__(self, other):
        if len(e) < 20:
            e[len(e) + 100] = None
        return False

e[GrowsDict(1)] = "a"
e[GrowsDict(2)] = "b"
print(len(e), sorted(type(k).__name__ for k in e))

s = set()

class ClearsSet:
    def __init__(self, n):
        self.n = n

    def __hash__(self):
        return 0

    def __eq__(self, other):
        s.clear()
        return False

s.add(ClearsSet(1))
s.add(ClearsSet(2))
print(len(s), [x.n for x in s])
s.add(ClearsSet(3))
print(ClearsSet(4) in s, len(s))

class DropsOther:
    victims = {}

    def __hash__(self):
        return 1

    def __eq__(self, other):
        DropsOther.victims.clear()  # frees the key being compared with
        return False

v = DropsOther.victims
v[DropsOther()] = "only"
v[DropsOther()] = "new"
print(len(v), list(v.values()))

it_set = {1, 2, 3}
try:
    for x in it_set:
        it_set.add(x + 10)
except RuntimeError as e:
    print("RuntimeError:", e)
