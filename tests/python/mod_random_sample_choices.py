# random.sample (small pool and large set paths, counts=), choices (plain, weights, cum_weights),
# gauss / normalvariate / expovariate / triangular: the same draws and numbers as CPython 3.11.
import random
random.seed("course")
print(random.sample(range(100), 5), random.sample([1, 2, 3, 4], 4), random.sample("abcdefgh", k=3))
print(random.sample(range(10**6), 10), random.sample(range(30), 25))
print(random.sample(['red', 'blue'], counts=[4, 2], k=5))
print(random.choices("abc", k=5), random.choices([1, 2, 3], [10, 1, 1], k=6), random.choices("xy", cum_weights=[1, 3], k=4))
print(random.choices([10, 20]))
random.seed(7)
print([round(random.gauss(0, 1), 12) for _ in range(5)])
print(random.gauss(mu=10, sigma=2))
random.seed(7)
print(random.gauss(), random.normalvariate(), random.normalvariate(5, 0.5), random.expovariate(1.5))
print(random.triangular(), random.triangular(0, 10, 2), random.triangular(1, 1, 1), random.uniform(2, 3))
for bad in [lambda: random.sample({1, 2}, 1), lambda: random.sample([1], 2), lambda: random.choices([], k=1),
            lambda: random.choices([1], [1, 2]), lambda: random.choices([1], [0])]:
    try:
        bad()
    except (TypeError, ValueError, IndexError) as e:
        print(type(e).__name__, e)
