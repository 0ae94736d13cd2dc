# Frames pushed by class calls and sys._getframe while the collector, __del__ and weakref
# callbacks run Python code in the middle of a call: what each sees, and nothing breaks.
import gc, sys, weakref

log = []


def look():
    f = sys._getframe(1)  # the caller waits in a call: its f_locals are what it holds
    return f.f_code.co_name, sorted(f.f_locals)


class Dies:
    def __del__(self):
        tag = "d"
        log.append(("del",) + look())


class Holder:
    def __init__(self, n):
        self.n = n
        d = Dies()
        del d  # __del__ runs inside this __init__ frame
        self.where = sys._getframe().f_code.co_name
        self.back = sys._getframe(1).f_code.co_name


def cb(phase, info):
    if phase == "start":
        log.append(("gc", sys._getframe().f_code.co_name))


class Cyc:
    def __init__(self):
        self.me = self
        gc.collect()  # collector + callbacks inside __init__


def build():
    hs = [Holder(i) for i in range(3)]
    gc.callbacks.append(cb)
    c = Cyc()
    gc.callbacks.remove(cb)
    return hs, c


hs, c = build()
print([(h.n, h.where, h.back) for h in hs])
print(log)


class Raises:
    def __init__(self, k):
        if k:
            raise ValueError(k)


def make(k):
    return Raises(k)


try:
    make(1)
except ValueError as e:
    tb = e.__traceback__
    names = []
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    print("raised", names, tb is None)
print(type(make(0)).__name__)


def deep(n):
    if n:
        return deep(n - 1)
    f = sys._getframe()
    k = 0
    while f is not None:
        k += 1
        f = f.f_back
    return k


print(deep(50) - deep(0))
r = []
for i in range(3):
    r.append(sys._getframe(0).f_lineno)
print(r)
