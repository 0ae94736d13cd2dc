# X | Y unions of types with isinstance/issubclass, zip(strict=True) with its messages, and the
# reprs of built-in types' methods reached through the type.
def attempt(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)
class A: pass
class B(A): pass
print(int | str, int | None, None | int, int | str | int, int | int, A | B)
print(isinstance(1, int | str), isinstance('x', int | str), isinstance(2.0, int | str))
print(isinstance(None, int | None), issubclass(B, int | A), issubclass(float, int | str))
print(isinstance(1, (str, int | float)))
attempt(lambda: int | 5)
attempt(lambda: None | None)
attempt(lambda: (int | str) | bytes)

attempt(lambda: list(zip([1, 2], [3], strict=True)))
attempt(lambda: list(zip([1], [3, 4], strict=True)))
attempt(lambda: list(zip([1], [3], [5, 6], strict=True)))
attempt(lambda: list(zip([1, 2], [3, 4], [5], strict=True)))
attempt(lambda: list(zip([1, 2], [3, 4], strict=True)))
attempt(lambda: list(zip([1, 2], [3], strict=False)))
attempt(lambda: list(zip(strict=True)))
attempt(lambda: list(zip([1], x=1)))
it = iter([1, 2, 3])
attempt(lambda: list(zip([10], it, strict=True)))
print(list(it))
print(list(zip()), list(zip(strict=True)))
print(list.append, str.join, int.__add__, dict.get, object.__init__, len)
print(list.append.__name__, str.upper('ab'), list.__len__([1, 2]))
