# The iterator protocol: __iter__ and __next__.
class Countdown:
    def __init__(self, start):
        self.n = start
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1

print(list(Countdown(3)))
for x in Countdown(2):
    print("tick", x)
it = iter(Countdown(1))
print(next(it), next(it, "done"))
print(sum(Countdown(4)), max(Countdown(5)), sorted(Countdown(3)))
