# Nested tuples of atoms: the inner tuples are untracked first, then the outer ones.
import gc
gc.disable()
inner = tuple([1, 2])
outer = tuple([inner, 3])
print(gc.is_tracked(inner), gc.is_tracked(outer))
gc.collect()
print(gc.is_tracked(inner), gc.is_tracked(outer))
