# A binary operator whose operands are themselves expressions: the whole range, ^ under the failing operator.
x = [1, 2, 3]
total = x[0] + x[1] * "a" - 3
