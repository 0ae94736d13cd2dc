# A failing method lookup: the attribute's range, not the call's.
class C:
    def __init__(self, v):
        self.v = v
    def method(self):
        return self.v.upper()
C(3).method()
