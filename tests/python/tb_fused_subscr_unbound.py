# `a[0]` with `a` unbound: the error is the load's, its carets under the name, also where the
# interpreter reads `a[0]` in one step when `a` is bound.
def f(flag):
    if flag:
        a = [1.5, 2.5]
    x = a[0] * 2.0
    return x


print(f(True))
f(False)
