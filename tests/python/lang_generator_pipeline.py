# Lazy pipelines of generators.
def naturals():
    n = 1
    while True:
        yield n
        n += 1

def squares(it):
    for x in it:
        yield x * x

def take(n, it):
    for i, x in enumerate(it):
        if i >= n:
            return
        yield x

print(list(take(5, squares(naturals()))))
evens = (x for x in naturals() if x % 2 == 0)
print(next(evens), next(evens), next(evens))
print(sum(take(100, naturals())))
