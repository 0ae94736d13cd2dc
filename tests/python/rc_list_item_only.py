# An object referenced only by a list item: the list + the argument.
import sys
lst = [object()]
print(sys.getrefcount(lst[0]))
lst.append(object())
print(sys.getrefcount(lst[1]))
lst.pop()
print(len(lst))
