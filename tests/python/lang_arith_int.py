# Integer arithmetic with Python's rules: floor division and modulo round toward minus infinity.
for a, b in [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3)]:
    print(a, b, a + b, a - b, a * b, a // b, a % b, divmod(a, b), a / b)
print(2 ** 10, 2 ** -1, (-2) ** 3, pow(3, 4), pow(3, 4, 5), -3 ** 2)
print(abs(-5), abs(5), -(-5), +5, ~5, 5 & 3, 5 | 3, 5 ^ 3, 1 << 10, 1024 >> 3, -9 >> 1)
