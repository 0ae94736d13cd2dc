# Carets: a call in a caller frame (^), a binary operator in the failing frame (~~^~~).
def f(x):
    return 1 / x

def g():
    y = f(0)
    return y

g()
