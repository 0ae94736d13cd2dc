# A seeded random generator gives CPython's exact sequence (Mersenne Twister).
import random
random.seed(42)
print([round(random.random(), 12) for _ in range(3)])
print([random.randint(1, 100) for _ in range(5)])
items = list(range(10))
random.shuffle(items)
print(items)
print(random.choice("abcdef"), random.choice([10, 20, 30]))
random.seed(42)
print(round(random.random(), 12))
