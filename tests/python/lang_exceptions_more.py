# Exceptions: chaining, finally with break/continue, CPython messages, add_note (and notes
# printed after the exception line), OSError errno/strerror/filename and its subclasses.
class AppError(Exception):
    def __init__(self, msg, code):
        super().__init__(msg)
        self.code = code
    def __str__(self): return f"[{self.code}] {self.args[0]}"
try:
    raise AppError("bad", 7)
except AppError as e:
    print(e, repr(e), e.code, e.args, type(e).__mro__[1].__name__)
def f():
    try:
        1 / 0
    except ZeroDivisionError as e:
        raise ValueError("wrapped") from e
try: f()
except ValueError as e: print(repr(e), repr(e.__cause__), e.__suppress_context__, repr(e.__context__))
try:
    try: {}["k"]
    except KeyError: raise TypeError("during")
except TypeError as e: print(repr(e.__context__), e.__cause__)
def g():
    try: return "try"
    finally: print("finally runs")
print(g())
def h():
    for i in range(3):
        try:
            if i == 1: continue
            if i == 2: break
        finally:
            print("fin", i)
h()
e = KeyError("x"); print(str(e), repr(e), str(KeyError()), str(OSError(2, "No such")), repr(StopIteration(5)))
try: [].pop()
except IndexError as e: print(e)
try: int("abc")
except ValueError as e: print(e)
try: None.x
except AttributeError as e: print(e)
try: "a" + 1
except TypeError as e: print(e)
try: len(5)
except TypeError as e: print(e)
try: f(1, 2)
except TypeError as e: print(e)
try: {}.get()
except TypeError as e: print(e)
try: import nosuchmod
except ImportError as e: print(type(e).__name__, e)
try: raise RuntimeError
except RuntimeError as e: print(repr(e), e.args)
import sys
try: sys.exit(3)
except SystemExit as e: print("exit code", e.code)
class E2(Exception): pass
try: raise E2("a", "b")
except Exception as e: print(e, e.args, isinstance(e, BaseException))
try:
    assert 1 == 2, "math broke"
except AssertionError as e: print("assert", e)
def deep(n): return deep(n + 1)
try: deep(0)
except RecursionError as e: print("recursion", str(e)[:30])
err = ValueError("v"); err.add_note("a note"); print(err.__notes__)
print(issubclass(KeyError, LookupError), issubclass(FileNotFoundError, OSError), ZeroDivisionError.__bases__)
for e in (OSError(2, "No such"), OSError("plain"), OSError(), FileNotFoundError(2, "No such file", "f.txt"),
          OSError(1, "x", "a", None, "b"), OSError(1, 2, 3, 4, 5, 6), PermissionError(13, "Denied")):
    print(repr(str(e)), e.errno, e.strerror, e.filename, e.args)
try:
    err.add_note(5)
except TypeError as t:
    print(t)
x = 0
while True:
    try:
        x += 1
        if x > 2: raise StopIteration
    except StopIteration:
        break
    else:
        print("else", x)
print(x)

final = KeyError("end")
final.add_note("first note")
final.add_note("second note")
raise final
