# A call spanning two lines: carets to the end of the first line.
def f(a, b):
    return a // b
print(f(7,
        0))
