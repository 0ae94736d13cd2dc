# The failing subscript is on the second line of a statement.
values = [1, 2, 3]
result = (values[0] +
          values[5])
