# Traceback objects reference frame objects; a frame that finished while its traceback was
# still alive keeps its locals, so exception -> traceback -> frame -> locals -> exception is a
# cycle only the collector frees (exception, tracebacks, frames, the args tuple).
import gc
gc.disable()
gc.collect()

def f():
    try:
        raise ValueError("boom")
    except ValueError as e:
        saved = e
    return None

f()
print("one frame:", gc.collect())

def g():
    raise KeyError(1)

def h():
    try:
        g()
    except KeyError as e:
        x = e

h()
print("two frames:", gc.collect())

class E(Exception):
    pass

def k():
    try:
        raise E
    except E as e:
        x = e

k()
print("empty args:", gc.collect())

def keep():
    local_value = [1, 2]
    try:
        1 / 0
    except ZeroDivisionError as e:
        return e

err = keep()
tb = err.__traceback__
frame = tb.tb_frame
print(frame.f_code.co_name, tb.tb_lineno, tb.tb_next)
print(frame.f_locals["local_value"])
print(frame.f_back.f_code.co_name)
print(frame.f_globals is globals())
del err, tb, frame
print("after del:", gc.collect())
