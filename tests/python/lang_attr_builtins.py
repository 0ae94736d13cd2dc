# getattr/setattr/hasattr/delattr, defaults, __getattr__ as a fallback, vars().
class P:
    kind = "point"
    def __init__(self):
        self.x = 1

p = P()
setattr(p, "y", 2)
print(getattr(p, "x"), getattr(p, "y"), getattr(p, "z", "none"), getattr(p, "kind"))
print(hasattr(p, "x"), hasattr(p, "z"), hasattr(P, "kind"))
delattr(p, "x")
print(hasattr(p, "x"), sorted(vars(p)))
try:
    getattr(p, "x")
except AttributeError as e:
    print("AttributeError:", e)
try:
    delattr(p, "nope")
except AttributeError as e:
    print("AttributeError:", e)

class Lazy:
    def __init__(self):
        self.real = "here"
    def __getattr__(self, name):
        return "computed " + name

z = Lazy()
print(z.real, z.other, getattr(z, "thing"), hasattr(z, "anything"))
setattr(P, "kind", "vector")
print(p.kind, P.kind)
