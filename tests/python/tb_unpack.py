# Unpacking failure: the target tuple's range.
a, b = [1, 2, 3]
