# A suspended generator that dies by refcounting is closed first: GeneratorExit is thrown in at
# its yield, so its finally block runs at the del; one never started runs nothing.
def counter(name):
    try:
        yield 1
        yield 2
    finally:
        print("finally of", name)

g = counter("g")
print(next(g))
del g
print("after del g")
h = counter("h")
del h
print("after del h (never started)")
done = counter("done")
print(list(done))
del done
print("after del done (exhausted)")
