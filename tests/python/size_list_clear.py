# clear() gives the buffer back; pop() shrinks it only when half empty.
import sys
lst = list(range(100))
full = sys.getsizeof(lst)
lst.pop()
print(sys.getsizeof(lst) == full)
lst.clear()
print(sys.getsizeof(lst) == sys.getsizeof([]))
