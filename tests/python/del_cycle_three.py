# Finalizers of a three-object cycle all run before any object is freed.
import gc
gc.disable()
gc.collect()
log = []

class N:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        log.append((self.name, self.nxt.name))

a = N("a"); b = N("b"); c = N("c")
a.nxt = b; b.nxt = c; c.nxt = a
del a, b, c
print(gc.collect())
print(sorted(log))
