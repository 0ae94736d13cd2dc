# Name resolution: local, enclosing, global, built-in; shadowing.
x = "global"
def f():
    x = "local"
    def g():
        return x
    return g()
print(f(), x)

def shadow():
    len = lambda s: -1
    return len("abc")
print(shadow(), len("abc"))

def reads_global():
    return x
print(reads_global())
class K:
    x = "class"
    def m(self):
        return x
print(K().m(), K.x)
