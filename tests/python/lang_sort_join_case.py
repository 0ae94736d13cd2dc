# sorted/list.sort ask only '<' and keep equal items in order (reverse too); str.join of
# one str is that str; upper/lower of ASCII and non-ASCII text.
import sys
print(sorted([3, 1, 2, 1.0, 2.0], reverse=True), sorted([(1, 'b'), (0, 'a'), (1, 'a')], key=lambda t: t[0]))
print(sorted(range(40), key=lambda x: x % 3), sorted(range(40), key=lambda x: x % 3, reverse=True))
l = [5, 3, 9, 1]; l.sort(reverse=True); print(l)
x = "abc" * 3
print("".join([x]) is x, "-".join([]), "-".join(["a"]), ", ".join(["a", "b", "c"]), "".join(["a", "b"]))
print("Ab1é".upper(), "AbC".lower(), "straße".upper(), "".upper())
try:
    sorted([1, "a"])
except TypeError as e:
    print(e)
