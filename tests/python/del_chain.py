# A chain of objects falls like dominoes when its head dies.
class Link:
    def __init__(self, n, nxt):
        self.n = n
        self.nxt = nxt
    def __del__(self):
        print("del", self.n)

head = None
for i in range(5):
    head = Link(i, head)
print("dropping head")
head = None
print("end")
