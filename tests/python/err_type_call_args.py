# Wrong argument counts.
def f(a, b):
    return a + b

def show(fn):
    try:
        fn()
    except TypeError as e:
        print(e)

show(lambda: f(1))
show(lambda: f(1, 2, 3))
show(lambda: f(1, c=2))
show(lambda: f(1, 2, a=3))
