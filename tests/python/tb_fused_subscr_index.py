# `b[k] -= v` out of range: the failing read of the augmented target is reported, as when
# the index is in range the interpreter reads and writes the item in one step each.
def g(b, k):
    b[0] -= 0.5 * b[1]
    b[k] -= 1.0
    return b


print(g([1.0, 2.0], 1))
g([1.0, 2.0], 2)
