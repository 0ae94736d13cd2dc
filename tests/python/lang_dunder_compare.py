# __eq__, __lt__, __hash__: sorting, sets and dict keys with user objects.
class V:
    def __init__(self, n):
        self.n = n
    def __eq__(self, other):
        return isinstance(other, V) and self.n == other.n
    def __lt__(self, other):
        return self.n < other.n
    def __hash__(self):
        return hash(self.n)
    def __repr__(self):
        return "V%d" % self.n

vs = [V(3), V(1), V(2)]
print(sorted(vs), min(vs), max(vs))
print(V(1) == V(1), V(1) != V(2), V(1) == 1, V(2) > V(1))
print(len({V(1), V(1), V(2)}), {V(5): "five"}[V(5)])

class NoHash:
    def __eq__(self, other):
        return True
try:
    hash(NoHash())
except TypeError as e:
    print(e)
