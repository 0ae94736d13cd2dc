# Big-int bit operations, pow with modulus, int() parsing and str().
a = 123456789012345678901234567890
b = 987654321098765432109876543210
print(a & b, a | b, a ^ b)
print(a << 70, b >> 33, -a >> 5)
print(pow(a, 5, b), pow(2, 200, 10 ** 9 + 7))
print(divmod(b, a), divmod(-b, a))
print(int("-" + "9" * 40) + 1)
print(int("ff" * 10, 16), int("777", 8), int("1010", 2), hex(a), bin(2 ** 70), oct(8 ** 20))
print(abs(-a), -(-a) == a, a > b, min(a, b) == a)
