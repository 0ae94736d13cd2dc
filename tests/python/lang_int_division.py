# Integer division, modulo and powers with Python's signs, across small and big ints.
for a, b in [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5)]:
    print(a // b, a % b, divmod(a, b), a / b)
big = 10 ** 30 + 7
print(big // 3, big % 3, -big // 7, -big % 7, divmod(big, -10 ** 10))
print(2 ** 100 // 2 ** 99, 2 ** -2, (-2) ** 3, pow(3, 200, 1000), pow(2, -1, 7))
print(1 << 100, (1 << 100) >> 99, -1 >> 5, ~(2 ** 64), 2 ** 64 & 2 ** 64 - 1, 2 ** 70 | 1)
print(7.5 // 2, -7.5 % 2, 10 ** 20 / 10 ** 10, 2 ** 0.5 == 2 ** 0.5, int(2.9e20))
print(True + True, True & False, True | False, True ^ True, -True, ~False)
print(abs(-2 ** 100), int("-" + "9" * 30) + 1, hex(2 ** 70), bin(-5), oct(64))
for bad in ("1 // 0", "1 % 0", "2 ** 100 // 0", "1.0 / 0"):
    try:
        eval_ok = None
        if bad == "1 // 0":
            1 // 0
        elif bad == "1 % 0":
            1 % 0
        elif bad == "2 ** 100 // 0":
            2 ** 100 // 0
        else:
            1.0 / 0
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
print(float(2 ** 1023) > 1e307, 10 ** 400 > 1e308, 2 ** 53 + 1 == float(2 ** 53 + 1))
try:
    float(10 ** 400)
except OverflowError as e:
    print("OverflowError:", e)
