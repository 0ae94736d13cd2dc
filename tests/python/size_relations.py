# Size relations that hold for any faithful layout.
import sys
print(sys.getsizeof(0) <= sys.getsizeof(10**30))
print(sys.getsizeof(10**30) < sys.getsizeof(10**300))
print(sys.getsizeof("") < sys.getsizeof("abc"))
print(sys.getsizeof("abc") + 3 == sys.getsizeof("abcdef"))
print(sys.getsizeof(()) < sys.getsizeof((1,)) < sys.getsizeof((1, 2)))
print(sys.getsizeof((1, 2)) - sys.getsizeof((1,)) == 8)
print(sys.getsizeof({}) < sys.getsizeof({i: i for i in range(100)}))
