# int.to_bytes / int.from_bytes, float.fromhex, str.maketrans / str.translate:
# values, keywords, subclasses and the messages of their misuse.

def attempt(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

print((1024).to_bytes(2, 'big'), (1024).to_bytes(2, 'little'))
print((0).to_bytes(0, 'big'), (255).to_bytes())
print((-1).to_bytes(2, 'big', signed=True), (-129).to_bytes(2, byteorder='little', signed=True))
print((2**70).to_bytes(9, 'big'))
print((5).to_bytes(length=3, byteorder='big'))
attempt(lambda: (256).to_bytes(1, 'big'))
attempt(lambda: (-1).to_bytes(1, 'big'))
attempt(lambda: (128).to_bytes(1, 'big', signed=True))
attempt(lambda: (1).to_bytes(-1, 'big'))
attempt(lambda: (1).to_bytes(1, 'middle'))
attempt(lambda: (1).to_bytes(1, 5))
attempt(lambda: (1).to_bytes(1, 'big', True))
attempt(lambda: (1).to_bytes(1, 'big', sign=True))
attempt(lambda: (1).to_bytes('x', 'big'))

print(int.from_bytes(b'\x04\x00', 'big'), int.from_bytes(b'\x04\x00', 'little'))
print(int.from_bytes(b'\xff\xff', 'big', signed=True), int.from_bytes(b'\xff'))
print(int.from_bytes([1, 2, 3], 'big'), int.from_bytes(bytes=b'\x01', byteorder='big'))
print(int.from_bytes(b'', 'big'), int.from_bytes(b'\x80' + bytes(9), 'big', signed=True))
print((7).from_bytes(b'\x02', 'big'))
attempt(lambda: int.from_bytes('ab', 'big'))
attempt(lambda: int.from_bytes(5, 'big'))
attempt(lambda: int.from_bytes([256], 'big'))
attempt(lambda: int.from_bytes())

class MyInt(int):
    pass
m = MyInt.from_bytes(b'\x01\x00', 'big')
print(type(m).__name__, m)
for n in (0, 1, 255, 256, -1, -256, 2**63, -(2**63), 12345678901234567890):
    length = (n.bit_length() + 8) // 8
    b = n.to_bytes(length, 'little', signed=True)
    print(n, b.hex(), int.from_bytes(b, 'little', signed=True) == n)

for s in ['0x1.8p1', '0x1p-1074', '0x1.fffffffffffffp1023', '-0x0p0', '1', 'a.8',
          '  0X10P-2  ', 'inf', '-Infinity', 'nan', '0x.8', '0x1.00000000000008p0',
          '0x1.00000000000018p0', '0x3p-1076', '0x1p-1080']:
    print(repr(s), float.fromhex(s))
attempt(lambda: float.fromhex('0x1p1024'))
attempt(lambda: float.fromhex('zz'))
attempt(lambda: float.fromhex('0x1p'))
attempt(lambda: float.fromhex(5))
print(float.fromhex((3.14).hex()) == 3.14, float.fromhex((1e-310).hex()) == 1e-310)
class MyFloat(float):
    pass
print(type(MyFloat.fromhex('0x1p0')).__name__)

t = str.maketrans('abc', 'xyz', 'd')
print(sorted(t.items()))
print('abcdabcd'.translate(t))
print('hello'.translate({ord('l'): 'LL', ord('o'): None}))
print('hello'.translate(str.maketrans({'h': 'J', 'e': 101})))
print('abc'.translate({}), 'abc'.translate([]))
print('x'.maketrans('a', 'b'))
attempt(lambda: str.maketrans('ab', 'c'))
attempt(lambda: str.maketrans({'ab': 1}))
attempt(lambda: str.maketrans({1.5: 1}))
attempt(lambda: str.maketrans(5))
attempt(lambda: str.maketrans())
attempt(lambda: 'a'.translate({97: 1.5}))
attempt(lambda: 'a'.translate({97: -1}))

# Class methods of built-in types reached through subclasses and their instances.
print(type(MyInt(3).from_bytes(b'\x01', 'big')).__name__, (5).from_bytes(b'\x02', 'big'))
class D(dict):
    pass
print(type(D.fromkeys('ab')).__name__, D().fromkeys('a'))
class E(dict):
    def __setitem__(self, k, v):
        print('set', k, v)
        super().__setitem__(k, v)
print(E.fromkeys([1, 2], 0))
