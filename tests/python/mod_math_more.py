# math: the inverse hyperbolic functions, exp2, cbrt, erf/erfc, remainder, nextafter, ulp,
# dist, with CPython's domain errors.
import math
def attempt(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)
for name in ['asinh', 'acosh', 'atanh', 'exp2', 'ulp']:
    for x in [0.0, 0.5, 1.0, 2.0, -8.0, 1e308, 5e-324, float('inf'), float('nan'), 1024, -1.0]:
        attempt(lambda: getattr(math, name)(x))
for x, y in [(1.0, 2.0), (1.0, 0.0), (0.0, -1.0), (-0.0, 1.0), (5e-324, 0.0), (1.7976931348623157e308, math.inf), (3.0, 3.0), (-1.0, -2.0), (-1.0, 0.0)]:
    print(math.nextafter(x, y))
print(math.ulp(math.inf), math.ulp(1.7976931348623157e308))
# cbrt: the platform's libm is not correctly rounded; pyheap's result may differ in the
# last bit (documented in modules/libm.rs), so compare to 12 digits.
print([round(math.cbrt(x), 12) for x in (0.0, 2.0, -8.0, 27.0, 5e-324)], math.cbrt(-8.0))
print(math.dist((0, 0), (3, 4)), round(math.dist([1, 2, 3], [4, 6, 15]), 12), math.dist((1.5,), (0.5,)))
attempt(lambda: math.dist((0, 0), (1,)))
attempt(lambda: math.dist(1, (1,)))
attempt(lambda: math.dist((0,), 'a'))
for x in [0.0, 0.5, -1.0, 3.0, 30.0, float('inf'), float('nan')]:
    print(math.erf(x), math.erfc(x))
for x, y in [(5.0, 3.0), (-5.0, 3.0), (7.5, 2.0), (6.5, 2.0), (1e300, 3.0), (3.0, float('inf'))]:
    print(math.remainder(x, y))
attempt(lambda: math.remainder(1.0, 0.0))
attempt(lambda: math.remainder(math.inf, 1.0))
print(math.remainder(math.nan, 0.0))
