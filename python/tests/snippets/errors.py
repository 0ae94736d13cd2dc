def f(d):
    return d['missing']
try:
    f({})
except KeyError as e:
    print('KeyError', e)
for expr in ['1 + "a"', '1 / 0', '[][3]', 'undefined_name', 'object().x', 'int("z")']:
    try:
        eval_me = expr
        if expr == '1 + "a"': 1 + "a"
        elif expr == '1 / 0': 1 / 0
        elif expr == '[][3]': [][3]
        elif expr == 'undefined_name': undefined_name
        elif expr == 'object().x': object().x
        else: int("z")
    except Exception as e:
        print(type(e).__name__, e)
class A:
    pass
try:
    A().y
except AttributeError as e:
    print(e)
def rec(n):
    return rec(n + 1)
try:
    rec(0)
except RecursionError as e:
    print("RecursionError", e)
try:
    try:
        raise ValueError("inner")
    finally:
        print("finally runs")
except ValueError as e:
    print("outer caught", e)
def g():
    raise ValueError("bad value")
g()
