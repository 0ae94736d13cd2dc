# Refcount reaching zero frees at once: __del__ runs right at the del.
class Noisy:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

a = Noisy("a")
b = a
print("del a")
del a
print("del b")
del b
print("end of straight line")
lst = [Noisy("in list")]
print("clear")
lst.clear()
print("rebind")
c = Noisy("c1")
c = Noisy("c2")
print("done")
del c
