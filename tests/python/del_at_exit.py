# Objects still alive at the end of the program are finalized at shutdown.
class Named:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)

x = Named("global")
print("end of program")
