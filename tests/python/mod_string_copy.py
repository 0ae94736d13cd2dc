import string, copy

print(string.ascii_letters)
print(string.ascii_lowercase, string.ascii_uppercase)
print(string.digits, string.hexdigits, string.octdigits)
print(string.punctuation)
print(repr(string.whitespace), len(string.printable), repr(string.printable[-6:]))
print(string.capwords('hello   world  foo'), string.capwords(' a-b c-d ', '-'), repr(string.capwords('')))
print(all(c in string.printable for c in 'Hello, World!\n'), 'é' in string.ascii_letters)

# shallow copy
lst = [1, [2, 3], {'k': [4]}]
c = copy.copy(lst)
print(c == lst, c is lst, c[1] is lst[1])
d = {'a': [1], 'b': 2}
dc = copy.copy(d)
dc['a'].append(9)
print(d, dc is d)
s = {1, 2}
print(copy.copy(s), copy.copy(s) is s)
t = (1, [2])
print(copy.copy(t) is t, copy.copy(5), copy.copy('str'), copy.copy(None))

class Pt:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __repr__(self):
        return 'Pt(%r, %r)' % (self.x, self.y)
p = Pt(1, [2])
q = copy.copy(p)
print(q, q is p, type(q) is Pt, q.y is p.y)
r = copy.deepcopy(p)
print(r, r.y is p.y, r.y == p.y)

# deepcopy
nested = [1, [2, [3, [4]]], {'x': (5, [6])}]
dn = copy.deepcopy(nested)
print(dn == nested, dn[1] is nested[1], dn[1][1][1] is nested[1][1][1], dn[2]['x'][1] is nested[2]['x'][1])
shared = [0]
pair = [shared, shared]
dp = copy.deepcopy(pair)
print(dp[0] is dp[1], dp[0] is shared)
cyc = [1]
cyc.append(cyc)
dcyc = copy.deepcopy(cyc)
print(dcyc[1] is dcyc, dcyc is not cyc, dcyc[0])
tup = (1, 'a', (2, 3))
print(copy.deepcopy(tup) is tup, copy.deepcopy((1, [2])) == (1, [2]))
memo = {}
x = [1]
y1 = copy.deepcopy(x, memo)
y2 = copy.deepcopy(x, memo)
print(y1 is y2, id(x) in memo)

class Hooked:
    def __init__(self):
        self.log = []
    def __copy__(self):
        n = Hooked()
        n.log = ['copied']
        return n
    def __deepcopy__(self, memo):
        n = Hooked()
        n.log = ['deep', type(memo).__name__]
        return n
h = Hooked()
print(copy.copy(h).log, copy.deepcopy(h).log, copy.deepcopy([h])[0].log)

class Slotted:
    __slots__ = ('a', 'b')
sl = Slotted()
sl.a = [1]
sc = copy.copy(sl)
sd = copy.deepcopy(sl)
print(sc.a is sl.a, sd.a == sl.a, sd.a is sl.a, hasattr(sc, 'b'))

class Stack(list):
    pass
st = Stack([1, [2]])
st.name = 'st'
sc2 = copy.copy(st)
sd2 = copy.deepcopy(st)
print(type(sc2).__name__, sc2, sc2.name, sd2, sd2[1] is st[1], sd2.name)

class Node:
    def __init__(self, v):
        self.v = v
        self.next = None
a = Node(1)
b = Node(2)
a.next = b
b.next = a
ca = copy.deepcopy(a)
print(ca.v, ca.next.v, ca.next.next is ca, ca is not a)
def fn():
    return 1
print(copy.copy(fn) is fn, copy.deepcopy(fn) is fn, copy.deepcopy(int) is int)
print(copy.Error.__name__, issubclass(copy.error, Exception))
