# At shutdown the globals of __main__ are finalized: with functions and classes defined the
# module dict is in a cycle, and the collector finalizes what it holds.
class Named:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)

a = Named("a")
_b = Named("_b")
c = Named("c")
del c
print("end of program")
