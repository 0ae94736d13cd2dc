# int() of a bad string, uncaught.
values = ["10", "0x1F", "abc"]
print(int(values[0]))
print(int(values[1], 16))
print(int(values[2]))
