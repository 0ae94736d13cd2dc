# Closures, nonlocal and global.
def counter():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc

c1 = counter()
c2 = counter()
print(c1(), c1(), c1(), c2())

total = 0
def add(x):
    global total
    total += x

add(5); add(6)
print(total)

def adders():
    return [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in adders()])

def late():
    fs = [lambda: i for i in range(3)]
    return [f() for f in fs]
print(late())

def outer():
    x = 1
    def middle():
        def inner():
            return x
        return inner
    x = 2
    return middle()()
print(outer())
