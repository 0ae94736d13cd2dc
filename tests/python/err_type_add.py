# Adding an int and a str.
x = 1
y = "s"
print(x + y)
