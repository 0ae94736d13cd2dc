# Python-level __eq__ and __hash__ decide dict keys and set members: which methods run, in
# which order, and which key object a dict keeps.
class Key:
    calls = []

    def __init__(self, name, h):
        self.name, self.h = name, h

    def __hash__(self):
        Key.calls.append("hash " + self.name)
        return self.h

    def __eq__(self, other):
        Key.calls.append("eq " + self.name)
        return isinstance(other, Key) and self.name.lower() == other.name.lower()

    def __repr__(self):
        return "Key(%r)" % self.name

d = {}
d[Key("a", 1)] = 1
d[Key("A", 1)] = 2  # equal to "a": the value changes, the first key stays
d[Key("b", 1)] = 3  # same hash, not equal: a collision
print(d)
print(Key.calls)
Key.calls.clear()
print(Key("B", 1) in d, d.get(Key("c", 1)), len(d))
print(Key.calls)
Key.calls.clear()
del d[Key("A", 1)]
print(d, Key.calls)
Key.calls.clear()
s = {Key("x", 7), Key("X", 7), Key("y", 7)}
print(len(s), sorted(k.name for k in s))
print(Key("Y", 7) in s, Key("z", 7) in s)
s.discard(Key("Y", 7))
print(sorted(k.name for k in s))

class Big:
    def __hash__(self):
        return 2 ** 70  # reduced like hash(2 ** 70)

print(hash(Big()) == hash(2 ** 70), hash(2 ** 70))

class Same:
    def __eq__(self, other):
        return True
    __hash__ = object.__hash__

a, b = Same(), Same()
print(len({a: 1, b: 2}), a == b, {a: 1}.get(a))

class Child(Key):
    pass

print(Child("q", 3) == Key("Q", 3), len({Child("q", 3), Key("Q", 3)}))
