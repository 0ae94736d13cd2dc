# Integers of arbitrary size.
x = 2 ** 100
print(x)
print(x * x)
print(x - 1, x + 1)
print(-x // 3, -x % 3, x // -7, x % -7)
print(10 ** 30 // 10 ** 15, 10 ** 30 % 999999937)
f = 1
for i in range(1, 31):
    f *= i
print(f)
print(f.bit_length(), (2 ** 64).bit_length(), (-(2 ** 64)).bit_length())
print(hash(2 ** 61 - 1), hash(2 ** 61), hash(-(2 ** 70)))
print(int("123456789" * 4) * 3)
print(2 ** 64 > 2 ** 63, -(2 ** 64) < 0, 2 ** 64 == 18446744073709551616)
