# float + - * between two floats (the VM's short path) keep Python's results at the edges.
import math
big = 1e308
print(big + big, big * 10.0, -big - big)          # overflow to inf, no error
print(0.0 * -1.0, -0.0 + 0.0, -0.0 - 0.0)         # signed zeros
n = float("nan")
print(n + 1.0, n * 0.0, math.isnan(n - n))
inf = float("inf")
print(inf - inf, inf * 0.0, inf + 1.0)
print(0.1 + 0.2, 1.5 * 2.0, 3.0 - 4.5)
a = [1.0, 2.0, 3.0]
a[1] -= 0.5 * a[2]
a[0] += a[1] * a[1]
print(a, a[-1], a[-3])
x = 2.5
print(x - x, type(x * x).__name__, x + True, 2 * x)
