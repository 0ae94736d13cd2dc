# Seeds of every type CPython 3.11 takes: str and bytes go through sha512, floats through their
# hash (negative hashes as unsigned), ints by absolute value.
import random
for s in ["abc", "", "héllo", b"abc", b"", "x" * 200, "course", -1.5, 2.5, 0.1, -7, 7, True, 12345678901234567890]:
    random.seed(s)
    print(repr(s)[:24], random.random(), random.randint(1, 100), random.getrandbits(40), random.choice("abcdef"))
random.seed("abc")
a = [random.random() for _ in range(3)]
random.seed(b"abc")
print(a == [random.random() for _ in range(3)])
deck = list(range(10))
random.seed("shuffle me")
random.shuffle(deck)
print(deck)
