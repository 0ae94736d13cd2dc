# math.gamma and math.lgamma: exact factorials at the integers, values to 12 significant
# digits elsewhere, and CPython's errors at the poles and on overflow.
import math

for n in range(1, 24):
    print(n, math.gamma(n), math.gamma(n) == math.factorial(n - 1))
for x in [0.5, 1.5, 2.5, -0.5, -1.5, 3.7, 10.1, 0.001, 1e-10, 170.5, -170.5, -200.5, 100.25]:
    g = math.gamma(x)
    print(x, "%.12g" % g, "%.12g" % math.lgamma(x))
print(math.isclose(math.gamma(0.5) ** 2, math.pi))
print(math.gamma(float("inf")), math.isnan(math.gamma(float("nan"))))
print(math.lgamma(float("inf")), math.lgamma(float("-inf")), math.isnan(math.lgamma(float("nan"))))
print(math.lgamma(1), math.lgamma(2), math.lgamma(1.0), "%.12g" % math.lgamma(1e300))
for f, x in [(math.gamma, 0), (math.gamma, 0.0), (math.gamma, -0.0), (math.gamma, -1), (math.gamma, -2.0),
             (math.gamma, float("-inf")), (math.gamma, 172), (math.gamma, 1e300), (math.gamma, 1e-320),
             (math.lgamma, 0), (math.lgamma, -3), (math.lgamma, 1e308), (math.gamma, "x")]:
    try:
        print(f.__name__, x, f(x))
    except (ValueError, OverflowError, TypeError) as e:
        print(f.__name__, x, type(e).__name__, e)
