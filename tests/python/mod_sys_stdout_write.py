# sys.stdout / sys.stderr write, flush and isatty; print(file=) calls any object's write once per piece;
# print's sep/end must be None or str.
import sys
n = sys.stdout.write("hello\n")
print(n)
sys.stderr.write("to err\n")
class Buf:
    def __init__(self): self.parts = []
    def write(self, s): self.parts.append(s)
b = Buf()
print("a", 1, [2], sep="-", end="!\n", file=b)
print(b.parts)
print("x", file=sys.stdout)
print("y", file=sys.stderr, flush=True)
sys.stdout.flush()
try:
    sys.stdout.write(5)
except TypeError as e:
    print(e)
try:
    print("a", file=5)
except AttributeError as e:
    print(e)
try:
    print("a", sep=5)
except TypeError as e:
    print(e)
print(sys.stdout.isatty(), sys.stdout.encoding)
