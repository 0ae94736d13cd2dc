# Iterating a non-iterable: the for statement (no carets).
for i in 5:
    pass
