# f_back of frames whose function the runtime or a built-in called (__del__, a sort key, a weakref
# callback, a gc callback): CPython links the Python frame that was running; walking it never crashes.
import weakref, gc
saved = []
def grab(tag):
    try:
        raise ValueError(tag)
    except ValueError as e:
        saved.append((tag, e.__traceback__))
class A:
    def __del__(self):
        grab("del")
def key(x):
    grab("key")
    return x
def cb(r):
    grab("cb")
def gccb(phase, info):
    if phase == "start":
        grab("gccb")
def caller():
    a = A()
    del a
    sorted([2, 1], key=key)
    class B: pass
    b = B()
    r = weakref.ref(b, cb)
    del b
    gc.callbacks.append(gccb)
    gc.collect()
    gc.callbacks.clear()
caller()
def chain(f):
    names = []
    while f is not None:
        names.append(f.f_code.co_name)
        f = f.f_back
    return names
for tag, tb in saved:
    f = tb.tb_frame
    print(tag, chain(f), f.f_lineno, sorted(f.f_locals))
