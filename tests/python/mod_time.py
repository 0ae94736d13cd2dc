# time: perf_counter and perf_counter_ns move forward; time.time is the epoch clock.
import time
a = time.perf_counter()
n = time.perf_counter_ns()
s = sum(range(10000))
b = time.perf_counter()
m = time.perf_counter_ns()
print(b >= a, m >= n, isinstance(n, int), isinstance(a, float))
print(time.time() > 1.6e9)
