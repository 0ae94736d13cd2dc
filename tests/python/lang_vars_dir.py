# vars() and dir() on instances and classes.
class P:
    cls_attr = 1
    def method(self):
        pass

p = P()
p.a = 1
p.b = 2
print(vars(p))
print("cls_attr" in dir(p), "method" in dir(p), "a" in dir(p), "__init__" in dir(p))
print(sorted(k for k in vars(P) if not k.startswith("__")))
