# When an instance dies, its attributes die in the order they were set.
class Named:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)

class Holder:
    pass

h = Holder()
h.first = Named("first")
h.second = Named("second")
h.third = Named("third")
del h
print("end")
