# Ints from -5 to 256 are cached: computing one twice gives the same object.
def same(a, b):
    return a is b

print(same(int("256"), int("256")))
print(same(int("257"), int("257")))
print(same(int("-5"), int("-5")))
print(same(int("-6"), int("-6")))
x = 200
print(same(x + 56, 256), same(x + 57, 257))
