import operator
from operator import itemgetter, attrgetter, methodcaller

print(operator.add(2, 3), operator.sub(2, 3), operator.mul('ab', 3), operator.truediv(7, 2))
print(operator.floordiv(7, 2), operator.mod(7, 3), operator.pow(2, 10), operator.neg(5), operator.pos(-5))
print(operator.not_(0), operator.not_([1]), operator.truth(''), operator.truth(3))
print(operator.eq(1, 1.0), operator.ne(1, 2), operator.lt(1, 2), operator.le(2, 2), operator.gt(1, 2), operator.ge(3, 2))
a = [1]
print(operator.is_(a, a), operator.is_(a, [1]), operator.is_not(a, [1]))
print(operator.contains([1, 2], 2), operator.contains('abc', 'd'))
d = {'k': 1}
print(operator.getitem(d, 'k'), operator.getitem([5, 6, 7], slice(1, None)))
operator.setitem(d, 'j', 2)
operator.delitem(d, 'k')
print(d)
print(operator.concat([1], [2]), operator.concat('a', 'b'))
print(operator.and_(12, 10), operator.or_(12, 10), operator.xor(12, 10), operator.invert(5), operator.inv(0))
print(operator.lshift(1, 4), operator.rshift(256, 3), operator.index(7), operator.abs(-3.5))
print(operator.and_({1, 2}, {2, 3}), operator.or_({1}, {2}))
print(operator.__add__(1, 2), operator.__getitem__('xy', 1), operator.__not__ is operator.not_ if hasattr(operator, '__not__') else 'n/a')
print(operator.countOf([1, 2, 1], 1), operator.indexOf('abc', 'c'))
print(operator.iadd([1], [2]), operator.imul([0], 2))
import functools
print(functools.reduce(operator.mul, range(1, 6)))
print(list(map(operator.add, [1, 2], [10, 20])))
class Num:
    def __init__(self, v): self.v = v
    def __add__(self, o): return 'Num.add'
    def __index__(self): return 4
print(operator.add(Num(1), 2), operator.index(Num(0)))

# misuse
for fn, args in ((operator.add, (1, 'a')), (operator.neg, ('x',)), (operator.getitem, ([1], 5)),
                 (operator.truediv, (1, 0)), (operator.index, (1.5,)), (operator.concat, (1, 2)),
                 (operator.lt, (1, 'a')), (operator.getitem, ({}, 'missing'))):
    try:
        fn(*args)
    except Exception as e:
        print(type(e).__name__ + ':', e)

# itemgetter
g = itemgetter(1)
print(g([10, 20, 30]), g('abc'), g({1: 'one'}))
g2 = itemgetter(0, 2)
print(g2('abc'), g2([1, 2, 3]))
print(repr(g), repr(g2), repr(itemgetter('k')))
rows = [('b', 2), ('a', 3), ('c', 1)]
print(sorted(rows, key=itemgetter(1)), sorted(rows, key=itemgetter(0)))
print(itemgetter(slice(0, 2))([1, 2, 3]))
try:
    itemgetter()
except TypeError as e:
    print('TypeError:', e)
try:
    g([1])
except IndexError as e:
    print('IndexError:', e)

# attrgetter
class P:
    def __init__(self, name, child=None):
        self.name = name
        self.child = child
p = P('top', P('kid', P('grandkid')))
print(attrgetter('name')(p), attrgetter('child.name')(p), attrgetter('child.child.name')(p))
print(attrgetter('name', 'child.name')(p))
print(repr(attrgetter('name')), repr(attrgetter('a.b', 'c')))
print(sorted([P('z'), P('a')], key=attrgetter('name'))[0].name)
try:
    attrgetter('nope')(p)
except AttributeError as e:
    print('AttributeError:', e)
try:
    attrgetter(1)
except TypeError as e:
    print('TypeError:', e)

# methodcaller
m = methodcaller('upper')
print(m('abc'), methodcaller('split', ',')('a,b'), methodcaller('replace', 'a', 'b', 1)('aaa'))
print(methodcaller('get', 'x', default=0)({}) if False else methodcaller('split', sep='-')('a-b'))
print(repr(m), repr(methodcaller('split', ',', maxsplit=1)))
try:
    methodcaller(5)
except TypeError as e:
    print('TypeError:', e)
try:
    methodcaller('nope')(1)
except AttributeError as e:
    print('AttributeError:', e)
