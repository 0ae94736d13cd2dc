# str.format.
print("{} {}".format("a", "b"))
print("{1} {0} {1}".format("x", "y"))
print("{name} is {age}".format(name="Cy", age=3))
print("{:>6}|{:<6}|{:^6}".format("r", "l", "c"))
print("{:.2f} {:,} {:08.3f} {:+d}".format(2.71828, 10 ** 6, 3.14159, 5))
print("{0[0]} {0[1]}".format(["first", "second"]))
class P:
    x = 10
print("{0.x}".format(P()))
print("{!r}".format("quoted"))
