# A closure keeps its free variable alive through a cell.
class Noisy:
    def __del__(self):
        print("freed")

def make():
    n = Noisy()
    def get():
        return n
    return get

g = make()
print("closure made")
print(type(g()).__name__)
del g
print("end")
