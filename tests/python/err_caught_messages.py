# The exact text of common exceptions, caught and printed.
def show(fn):
    try:
        fn()
    except Exception as e:
        print(type(e).__name__ + ":", e)

class A:
    pass

show(lambda: undefined)
show(lambda: {}["k"])
show(lambda: {}[1])
show(lambda: 1 + "s")
show(lambda: "s" + 1)
show(lambda: 1 / 0)
show(lambda: 1 // 0)
show(lambda: 1 % 0)
show(lambda: [][0])
show(lambda: ()[5])
show(lambda: "abc"[10])
show(lambda: A().x)
show(lambda: int("abc"))
show(lambda: [].pop())
show(lambda: len(5))
nothing = None
show(lambda: nothing())
show(lambda: [1, 2] < "a")
show(lambda: {}.popitem())
show(lambda: [1].index(2))
show(lambda: float("x"))
