# Small ints are shared by the whole program: their refcounts are large.
import sys
print(sys.getrefcount(1) > 10)
big = int("123456789012345")
print(sys.getrefcount(big))
