# __repr__ and __str__ decide what print and repr show.
class P:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"P({self.x}, {self.y})"

class Q(P):
    def __str__(self):
        return f"<{self.x};{self.y}>"

p = P(1, 2)
q = Q(3, 4)
print(p, repr(p), str(p), [p])
print(q, repr(q), [q], f"{q}", f"{q!r}", "%s %r" % (q, q))
