# A syntax error: nothing runs; SyntaxError on stderr, exit 1.
print("this line never prints")
x = (1 +
