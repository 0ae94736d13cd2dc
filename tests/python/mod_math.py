# The math module.
import math
print(math.pi, math.e, math.tau, math.inf, math.isnan(math.nan))
print(math.sqrt(16), math.sqrt(2), math.floor(-2.5), math.ceil(-2.5), math.trunc(-2.5))
print(math.gcd(12, 18), math.factorial(20), math.isqrt(99), math.comb(10, 3), math.perm(5, 2))
print(math.log(math.e), math.log(8, 2), math.log2(1024), math.log10(1000), math.exp(0))
print(round(math.sin(math.pi / 2), 12), round(math.cos(0), 12), math.atan2(1, 1) == math.pi / 4)
print(math.fabs(-3), math.pow(2, 10), math.hypot(3, 4), math.isclose(0.1 + 0.2, 0.3), math.fsum([0.1] * 10))
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError:", e)
