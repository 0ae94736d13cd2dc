# Float arithmetic and repr.
print(0.1 + 0.2, 1 / 3, 2 / 3, 1e16, 1e-5, 1.5e300 * 1e10, -0.0, 3.0, 10 / 2)
print(7.5 // 2, 7.5 % 2, -7.5 // 2, -7.5 % 2, 2 ** 0.5, 1e308 * 10 - 1e308 * 10 != 0)
print(round(2.675, 2), round(0.5), round(1.5), round(2.5), round(-0.5), round(3.14159, 3))
print(float("inf"), float("-inf"), float("nan") != float("nan"), float(" 2.5 "), int(3.9), int(-3.9))
print(1.0 == 1, hash(1.0) == hash(1), 0.1 * 3 == 0.3, abs(-2.5), float(2 ** 60))
print(3.0.is_integer(), (2.5).as_integer_ratio(), max(1.5, 2), min(-1, -1.5))
