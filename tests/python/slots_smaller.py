# A __slots__ instance is smaller than an ordinary one with a dict (a learner's measurement).
import sys

class Plain:
    def __init__(self):
        self.x = 1
        self.y = 2

class Slotted:
    __slots__ = ("x", "y")
    def __init__(self):
        self.x = 1
        self.y = 2

plain = Plain()
slotted = Slotted()
print(sys.getsizeof(slotted) < sys.getsizeof(plain) + sys.getsizeof(plain.__dict__))
print(sys.getsizeof(slotted) > 0)
