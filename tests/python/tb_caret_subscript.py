# Carets under a failing subscript: ~ under the value, ^ under the brackets.
d = {"a": 1}
def look(k):
    return d[k] + 1
print(look("a"))
look("b")
