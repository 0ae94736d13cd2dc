# and / or return an operand; truthiness of built-ins.
print(0 or "x", "a" and "b", None or [] or 0, 1 and 0, not 0, not "s")
for v in (0, 1, "", "s", [], [0], {}, {1: 2}, (), None, 0.0, set()):
    print(repr(v), bool(v))
print(True + True, True * 3, False == 0, isinstance(True, int))
