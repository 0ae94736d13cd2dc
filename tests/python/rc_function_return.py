# A local that escapes through return keeps living; one that does not is freed at return.
class Noisy:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

def make():
    keep = Noisy("kept")
    drop = Noisy("dropped")
    print("returning")
    return keep

k = make()
print("got", k.name)
del k
print("end")
