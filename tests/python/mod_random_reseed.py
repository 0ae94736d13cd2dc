# Re-seeding repeats the sequence.
import random
random.seed(7)
a = [random.random() for _ in range(5)]
random.seed(7)
b = [random.random() for _ in range(5)]
print(a == b, all(0 <= x < 1 for x in a))
random.seed(123)
print(random.randint(0, 10 ** 12), random.randint(-5, 5))
