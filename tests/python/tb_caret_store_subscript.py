# A failing subscript store: the target's range.
lst = [1]
lst[3] = 5
