# Constant tuple literals are folded into untracked constants; built tuples start tracked.
import gc
gc.disable()

def f(x):
    return (x, x)

t = f(1)
print(gc.is_tracked(t))
gc.collect()
print(gc.is_tracked(t))
s = f([])
gc.collect()
print(gc.is_tracked(s))
