# Reading a slot that was never set raises AttributeError; del empties it again.
class P:
    __slots__ = ("x",)

p = P()
try:
    p.x
except AttributeError as e:
    print("AttributeError:", e)
p.x = 5
print(p.x)
del p.x
print(hasattr(p, "x"))
