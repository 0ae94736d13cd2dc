# x += y failing: the operator has the whole statement's range (no carets).
x = 5
x += "a"
