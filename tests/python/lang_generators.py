# Generators: yield, send, return value, close.
def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1
    return "finished"

print(list(count_up(4)))
g = count_up(2)
print(next(g), next(g))
try:
    next(g)
except StopIteration as e:
    print("StopIteration value:", e.value)

def echo():
    received = None
    while True:
        received = yield received
        if received == "stop":
            return

e = echo()
print(next(e), e.send("hi"), e.send(3))

def with_cleanup():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")

w = with_cleanup()
print(next(w))
w.close()
print("closed")
