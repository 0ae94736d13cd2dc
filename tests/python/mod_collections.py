import collections
from collections import defaultdict, Counter, OrderedDict, deque, namedtuple, ChainMap

# defaultdict
d = defaultdict(list)
d['a'].append(1)
d['a'].append(2)
d['b'].append(3)
print(d, d['a'], len(d), isinstance(d, dict), d.default_factory)
c = defaultdict(int)
for ch in 'hello':
    c[ch] += 1
print(sorted(c.items()), c.get('zz'), 'zz' in c)
n = defaultdict()
print(n, n.default_factory)
try:
    n['x']
except KeyError as e:
    print('KeyError:', e)
dd = defaultdict(lambda: 'dflt', {'k': 1}, j=2)
print(dd['k'], dd['j'], dd['new'], sorted(dd))
print(repr(defaultdict(int, {1: 2})))
try:
    defaultdict(5)
except TypeError as e:
    print('TypeError:', e)
cp = c.copy()
print(type(cp).__name__, cp.default_factory, cp == c)

# Counter
cnt = Counter('abracadabra')
print(cnt)
print(cnt['a'], cnt['z'], 'z' in cnt)
print(cnt.most_common(2), cnt.most_common()[-1])
print(sorted(cnt.elements()))
cnt.update('aaz')
print(cnt['a'], cnt['z'])
cnt.update({'b': 10})
print(cnt['b'])
cnt.subtract('bbbb')
print(cnt['b'])
cnt.subtract({'q': 2})
print(cnt['q'], cnt)
print(Counter(a=3, b=1) + Counter(a=1, b=2, c=1))
print(Counter(a=3, b=1) - Counter(a=1, b=2))
print(Counter(a=3, b=1) | Counter(a=1, b=2))
print(Counter(a=3, b=1) & Counter(a=1, b=2))
print(Counter(), repr(Counter(x=0)), Counter({'k': 2}).total())
print(+Counter(a=1, b=-1, c=0), -Counter(a=1, b=-1))
w = Counter('the cat the hat the end'.split())
print(w.most_common(1), len(w), isinstance(w, dict))
del w['the']
del w['missing']
print(w)
try:
    Counter.fromkeys('ab')
except NotImplementedError as e:
    print('NotImplementedError:', e)

# OrderedDict
od = OrderedDict()
od['x'] = 1
od['y'] = 2
od['z'] = 3
print(od, list(od))
od.move_to_end('x')
print(list(od))
od.move_to_end('z', last=False)
print(list(od))
print(od.popitem(), od.popitem(last=False), od)
print(OrderedDict(a=1, b=2) == OrderedDict(b=2, a=1), OrderedDict(a=1, b=2) == {'b': 2, 'a': 1})
print(OrderedDict(), OrderedDict([(1, 2)]))
try:
    OrderedDict().popitem()
except KeyError as e:
    print('KeyError:', e)
try:
    od.move_to_end('nope')
except KeyError as e:
    print('KeyError:', e)

# deque
q = deque([1, 2, 3])
q.append(4)
q.appendleft(0)
print(q, len(q), q[0], q[-1], 3 in q, 9 in q)
print(q.pop(), q.popleft(), q)
q.extend([7, 8])
q.extendleft([-1, -2])
print(q, list(reversed(q)))
q.rotate(2)
print(q)
q.rotate(-3)
print(q)
print(q.index(7), q.count(1))
b = deque([1, 2, 3], maxlen=3)
b.append(4)
print(b, b.maxlen)
b.appendleft(0)
print(b)
b.extend([9, 10])
print(b, list(b), bool(deque()), deque() == deque([]), deque([1]) == deque([1]))
print(deque(), deque('ab'), deque(range(3), maxlen=5), deque(maxlen=0))
q2 = deque([1, 2, 3])
q2[1] = 20
del q2[0]
q2.remove(3)
print(q2, q2 + deque([5]), q2 * 2)
q2.clear()
print(q2, deque([3, 1]).copy())
for fn in (q2.pop, q2.popleft):
    try:
        fn()
    except IndexError as e:
        print('IndexError:', e)
try:
    deque([1]).index(5)
except ValueError as e:
    print('ValueError:', e)
try:
    deque([1])[5]
except IndexError as e:
    print('IndexError:', e)
try:
    deque([], maxlen=-1)
except ValueError as e:
    print('ValueError:', e)
hist = deque(maxlen=2)
for i in range(5):
    hist.append(i)
print(hist, [x * 2 for x in hist])

# namedtuple
Point = namedtuple('Point', 'x y')
p = Point(1, 2)
print(p, p.x, p.y, p[0], p[1], len(p), isinstance(p, tuple))
x, y = p
print(x + y, p == (1, 2), hash(p) == hash((1, 2)))
print(Point._fields, p._asdict(), p._replace(y=5), Point._make([3, 4]))
print(Point(y=7, x=8), type(p).__name__, Point.__name__)
P3 = namedtuple('P3', ['a', 'b', 'c'], defaults=[0, 9])
print(P3(1), P3(1, 2), P3(1, 2, 3), P3._field_defaults)
Q = namedtuple('Q', 'a, b')
print(Q(1, b=2), Q._fields)
R = namedtuple('R', ['ok', 'def', '_x', 'ok'], rename=True)
print(R._fields)
print(sorted([Point(2, 1), Point(1, 5)]))
print(Point(1, 2)._replace(), max(Point(1, 9)))
for bad in (lambda: Point(1), lambda: Point(1, 2, 3), lambda: Point(1, z=2),
            lambda: Point._make([1]), lambda: p._replace(z=1),
            lambda: namedtuple('T', 'a a'), lambda: namedtuple('T', 'a _b'),
            lambda: namedtuple('T', 'a class'), lambda: namedtuple('1T', 'a'),
            lambda: namedtuple('T', 'a', defaults=[1, 2])):
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ':', e)
try:
    p.x = 5
except AttributeError as e:
    print('AttributeError')
class Sub(namedtuple('Base', 'u v')):
    def total(self):
        return self.u + self.v
print(Sub(1, 2), Sub(1, 2).total())

# ChainMap
base = {'a': 1, 'b': 2}
over = {'b': 20, 'c': 30}
cm = ChainMap(over, base)
print(cm['a'], cm['b'], cm['c'], len(cm), sorted(cm), 'a' in cm, cm.get('zz', 0))
cm['d'] = 4
print(over, base)
child = cm.new_child()
child['a'] = 100
print(child['a'], cm['a'], child.parents['a'])
try:
    cm['zz']
except KeyError as e:
    print('KeyError:', e)
print(ChainMap({'k': 1}), ChainMap())
print('%s+%s' % Point(3, 4), '%r' % (Point(1, 2),))
