# Some built-ins cannot be weakly referenced.
import weakref
for value in (1, "s", (1,), [1], {}):
    try:
        weakref.ref(value)
        print(type(value).__name__, "ok")
    except TypeError as e:
        print(e)
