# sys._getframe and f_back of running frames: caller names, depth by walking f_back, f_lineno,
# f_locals snapshots of function frames, f_globals, a traceback's tb_frame.f_back, and frames
# entered from a class call's __init__ and from operators' dunder methods.
import sys


def who():
    return sys._getframe(1).f_code.co_name


def depth():
    n = 0
    f = sys._getframe()
    while f is not None:
        n += 1
        f = f.f_back
    return n


def rec(k):
    if k == 0:
        return depth()
    return rec(k - 1)


def outer():
    x = 1
    y = "two"
    return inner()


def inner():
    f = sys._getframe(1)
    return f.f_code.co_name, sorted(f.f_locals), f.f_globals is globals(), f.f_lineno


print(who(), (lambda: who())())
print(rec(0), rec(3), rec(10))
print(outer())
print(sys._getframe().f_code.co_name, sys._getframe().f_back)
print(sys._getframe(0) is sys._getframe(0))


def fails():
    raise KeyError("k")


def catcher():
    try:
        fails()
    except KeyError as e:
        tb = e.__traceback__
        names = []
        while tb is not None:
            names.append((tb.tb_frame.f_code.co_name, tb.tb_frame.f_back.f_code.co_name))
            tb = tb.tb_next
        return names


print(catcher())


class Node:
    def __init__(self, tag):
        self.tag = tag
        self.caller = sys._getframe(1).f_code.co_name


def make():
    return Node("a")


print(make().caller, Node("b").caller)


class Bad:
    def __init__(self):
        return 3


try:
    Bad()
except TypeError as e:
    print(type(e).__name__, e, e.__traceback__.tb_frame.f_code.co_name)


class Init:
    def __init__(self, a, b=2):
        self.s = a + b


print(Init(1).s, Init(1, 5).s, Init(a=3).s)

try:
    sys._getframe(1000)
except ValueError as e:
    print("ValueError", e)
try:
    sys._getframe("x")
except TypeError as e:
    print("TypeError", e)
