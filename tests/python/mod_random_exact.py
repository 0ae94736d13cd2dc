# random: seeds of every kind, getrandbits widths, randrange steps, shuffle, choice, uniform and the error texts, all equal to CPython 3.11.
import random
for s in [0, 1, -5, 2**31, 2**32 + 7, 12345678901, 3.5, True]:
    random.seed(s)
    print(s, random.random(), random.getrandbits(1), random.getrandbits(31), random.getrandbits(32), random.getrandbits(40))
random.seed(99)
print([random.randrange(10) for _ in range(10)])
print([random.randrange(3, 30, 4) for _ in range(10)])
print([random.randrange(30, 3, -3) for _ in range(10)])
print([random.randint(-1000000, 1000000) for _ in range(5)])
print(random.getrandbits(0)); random.getrandbits(64); random.getrandbits(100)
print(random.uniform(1, 3), random.uniform(2.5, -1.0))
l = list(range(50)); random.shuffle(l); print(l)
print(random.choice(range(1000)), random.choice("xyz"), random.choice((1,2)))
for bad in [lambda: random.choice([]), lambda: random.randrange(0), lambda: random.randrange(5, 5), lambda: random.randrange(1, 10, 0), lambda: random.getrandbits(-1), lambda: random.seed([1])]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
random.seed(5)
x = [random.random() for _ in range(700)]
print(x[-1], sum(x))
