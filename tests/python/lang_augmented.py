# Augmented assignment on names, attributes, items and slices.
x = 10
x += 5; x -= 3; x *= 2; x //= 5; x **= 3; x %= 7; x <<= 2; x |= 1; x ^= 3; x &= 14; x >>= 1
print(x)
class C:
    n = 0
c = C()
c.n += 1
c.n += 1
print(c.n, C.n)
lst = [1, 2]
alias = lst
lst += [3]
print(lst is alias, alias)
t = (1,)
t2 = t
t += (2,)
print(t is t2, t, t2)
d = {"k": 1}
d["k"] += 10
print(d)
s = "a"
s *= 3
print(s)
f = 1.5
f /= 2
print(f)
