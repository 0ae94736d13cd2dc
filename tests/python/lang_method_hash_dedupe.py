# Bound methods (Python and built-in) in sets, dicts and lists: equal and hash-equal by receiver
# identity and function, so each look-up's new method object finds the others.
class M:
    def f(self): return 1
    def g(self): return 2
    def __eq__(self, o): return True
    __hash__ = object.__hash__
m, n = M(), M()
print(len({m.f, m.f}), len({m.f, m.g}), len({m.f, n.f}), m.f == m.f, m.f == n.f)
d = {m.f: 1}
d[m.f] = 2
print(len(d), d[m.f], m.f in d, n.f in d)
print(hash(m.f) == hash(m.f), hash(m.f) == hash(M.f.__get__(m)))
l = []
print(len({l.append, l.append}), l.append == l.append, l.append == [].append, len({len, len, print}))
s = {l.append}
print(l.append in s, [].append in s)
handlers = []
class Btn:
    def click(self): pass
b = Btn()
handlers.append(b.click)
print(b.click in handlers, handlers.index(b.click), handlers.count(b.click))
handlers.remove(b.click)
print(handlers)
print(len(set([b.click] * 5)), len({str.upper, str.upper}), len({"a".upper, "a".upper}))
