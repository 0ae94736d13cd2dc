# Appending to a list grows its buffer in steps (over-allocation): print the lengths
# at which sys.getsizeof changes, and that each step adds whole pointers.
import sys
lst = []
last = sys.getsizeof(lst)
steps = []
for i in range(70):
    lst.append(i)
    size = sys.getsizeof(lst)
    if size != last:
        steps.append(len(lst))
        assert (size - last) % 8 == 0
        last = size
print(steps)
