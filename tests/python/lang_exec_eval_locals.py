# exec, eval, compile, and locals()/globals()/vars()/dir() without arguments, in module,
# class and function frames; CPython's errors for their misuse.

def attempt(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

print(eval('1 + 2 * 3'), eval('  [x * x for x in range(4)]'), eval(b'40 + 2'))
top = 10
print(eval('top + 1'), eval('top', {'top': 'mine'}), eval('a + b', {'a': 1}, {'b': 2}))
exec('made_here = top * 2')
print(made_here)
g = {}
exec('def f(n):\n    return n + bonus\nbonus = 5\nr = f(1)', g)
print(g['r'], sorted(k for k in g if k != '__builtins__'), '__builtins__' in g)
ns_g, ns_l = {'x': 1}, {}
exec('y = x + 1', ns_g, ns_l)
print(ns_l, 'y' in ns_g)

code = compile('z = 7\nw = z * 2', '<made>', 'exec')
print(type(code).__name__, code.co_filename, code.co_name)
d = {}
exec(code, d)
print(d['w'])
print(eval(compile('3 ** 4', 'f', 'eval')))
exec(compile('1 + 1', 'f', 'eval'))

def in_function(a, b=2):
    c = a + b
    print(sorted(locals().items()))
    print(dir())
    exec('c = 100')
    print(c, eval('a + c'))
    def inner():
        return c
    print(sorted(locals()))
in_function(1)

class K:
    p = 1
    q = p + 1
    print(sorted(locals()))
    print(sorted(vars()))
    exec('r = q * 10')
print(K.r)

print('top' in dir(), 'top' in globals(), globals() is vars(), globals()['top'])
print(sorted(vars(K)) == sorted(K.__dict__))

attempt(lambda: eval('x = 1'))
attempt(lambda: eval('1 +'))
attempt(lambda: exec('1 +'))
attempt(lambda: exec('for'))
attempt(lambda: exec(5))
attempt(lambda: eval(5))
attempt(lambda: exec('1', 5))
attempt(lambda: eval('1', 5))
attempt(lambda: exec('1', {}, 5))
attempt(lambda: eval('1', {}, 5))
attempt(lambda: exec())
attempt(lambda: exec('1', {}, {}, {}))
attempt(lambda: eval('1', x=1))
attempt(lambda: compile('1', 'f', 'bad'))
attempt(lambda: compile(5, 'f', 'exec'))
attempt(lambda: compile('1', 'f', 'exec', foo=1))
attempt(lambda: compile('1', 'f', 'exec', source='x'))
print(eval(compile(source='6 * 7', filename='f', mode='eval')))
attempt(lambda: locals(1))
attempt(lambda: vars(5))
attempt(lambda: eval('undefined_name'))
attempt(lambda: exec('raise ValueError("from exec")'))
try:
    exec('x = (1,\n')
except SyntaxError as e:
    print('SyntaxError', e.filename, e.lineno)
print(list(map(eval, ['1', '2 + 2'])))
print(eval('lambda v: v * top')(3))
