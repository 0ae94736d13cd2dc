# import forms: import X, import X as Y, from X import a, b.
import gc as collector
from sys import getrefcount as rc
from math import sqrt, floor
import sys, math
print(collector.isenabled(), rc(None) > 1, sqrt(9), floor(2.7), math.pi == 3.141592653589793)
print(type(sys).__name__, sys.__name__, __name__)
