# Storing an attribute on None: the target's range.
x = None
x.attr = 1
