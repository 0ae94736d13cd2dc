# math: domain/range errors with CPython's texts, fsum, the integer functions, frexp/modf, hypot in n dimensions.
import math
for f, args in [(math.sqrt, (-1,)), (math.log, (0,)), (math.log, (-1,)), (math.exp, (1000,)), (math.factorial, (-1,)), (math.factorial, (2.5,)), (math.acos, (2,)), (math.pow, (0, -1)), (math.pow, (10, 400)), (math.sqrt, ("x",)), (math.isqrt, (-1,)), (math.comb, (-1, 2)), (math.log, (10, 1)), (math.fmod, (1, 0)), (math.ldexp, (1.0, 2000)), (math.floor, (float("inf"),)), (math.floor, (float("nan"),))]:
    try:
        print(f(*args))
    except Exception as e:
        print(type(e).__name__, e)
print(math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]), math.fsum([]), math.fsum([0.1, 0.2, 0.3]))
print(math.gcd(), math.gcd(0, 0), math.gcd(-12, 18), math.gcd(4, 6, 8), math.lcm(4, 6), math.lcm())
print(math.isqrt(0), math.isqrt(10**6), math.comb(5, 6), math.perm(5), math.perm(5, 0))
print(math.frexp(8.0), math.frexp(-0.1), math.frexp(0.0), math.frexp(5e-324), math.modf(2.5), math.modf(-2.5), math.ldexp(0.5, 3))
print(math.degrees(math.pi), math.radians(180), math.copysign(3, -0.0), math.hypot(1, 2, 3), math.hypot(), math.hypot(-5))
print(math.isclose(1, 1.0000000001), math.isclose(1, 1.1, rel_tol=0.2), math.isclose(0, 1e-10, abs_tol=1e-9), math.isinf(math.inf), math.isfinite(1))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod([2.5, 2]), math.trunc(3.9), math.ceil(2), math.floor(True))
print(math.log(100, 10), math.log1p(0), math.expm1(0), math.tanh(0.5), math.atan(1), math.e ** 2)
print(math.floor(-0.5), math.ceil(-0.5), math.log2(3), math.log10(2), math.cosh(1), math.sinh(1))
