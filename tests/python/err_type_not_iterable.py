# Iterating over a non-iterable.
def show(fn):
    try:
        fn()
    except TypeError as e:
        print(e)

show(lambda: [x for x in 5])
show(lambda: list(None))
show(lambda: iter(3.5))
n = 7
for x in n:
    pass
