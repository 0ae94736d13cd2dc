# bytes keep their data inline: getsizeof(b'') is 33 (header, length, hash, the NUL) + 1 a byte.
import sys
for b in [b'', b'a', b'abc', b'hello world', bytes(100), b'x' * 1000, b'ab' + b'cd', b'abcdef'[2:4],
          bytes([1, 2, 3]), 'héllo'.encode(), b'-'.join([b'a', b'b'])]:
    print(len(b), sys.getsizeof(b), sys.getsizeof(b) - len(b))
print(sys.getsizeof(b'spam') == sys.getsizeof(b'eggs'), sys.getsizeof(b'') < sys.getsizeof(b'\x00'))
