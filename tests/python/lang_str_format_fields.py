def t(f, *a, **k):
    try:
        print(repr(f.format(*a, **k)))
    except Exception as e:
        print(type(e).__name__, e)
t('{:{}}|', 'a', 5)
t('{0:{1}}|{0}', 'a', 5)
t('{}{1}', 1, 2)
t('{0}{}', 1, 2)
t('{:>{w}.{p}f}', 3.14159, w=10, p=2)
t('{!x}', 1)
t('{!rr}', 1)
t('{!}', 1)
t('{a[0]}{a[1]}', a='xy')
t('{.real}', 3)
t('{}', )
t('{x}', y=1)
t('{0[k]}', {'k': 'v'})
class D(dict):
    def __missing__(self, k): return '<' + k + '>'
print('{a}-{b}'.format_map(D(a=1)))
print('{a}'.format_map({'a': [1]}))
for f, m in [('{0}', {}), ('{}', {}), ('{z}', {})]:
    try:
        print(f.format_map(m))
    except Exception as e:
        print(type(e).__name__, e)
try:
    'x'.format_map()
except TypeError as e:
    print(e)
for f in ['{!}', '{!:}', '{0!}', '{!r:}', '{!r', '{0!:>3}', '{0!r:>3}']:
    try: print(repr(f.format(1)))
    except Exception as e: print(f, type(e).__name__, e)
for f in ['{', '{0', '{!r', '{a', 'x{', '{:', '{0:', '{[', '{0[1}', 'a}', '{}}', '{{}', '{0:{1}']:
    try: print(repr(f.format(1, 2)))
    except Exception as e: print(repr(f), type(e).__name__, e)
for f in ['{0[-1]}', '{0[1]}']:
    try: print(repr(f.format({'-1': 'neg', 1: 'one'})))
    except Exception as e: print(repr(f), type(e).__name__, e)
