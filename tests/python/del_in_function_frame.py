# Locals are released when a function returns, in slot order.
class Named:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)

def f():
    a = Named("a")
    b = Named("b")
    c = Named("c")
    print("returning")

f()
print("after call")
