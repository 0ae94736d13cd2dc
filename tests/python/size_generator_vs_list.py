# A generator is small whatever its length; a list grows with its items.
import sys
lst = [i * i for i in range(10000)]
gen = (i * i for i in range(10000))
print(sys.getsizeof(gen) < sys.getsizeof(lst))
print(sum(gen) == sum(lst))
