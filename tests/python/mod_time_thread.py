# time.thread_time(_ns): the calling thread's CPU clock; it never goes back, grows while the
# thread computes, and the two forms agree in unit (seconds vs nanoseconds).
import time
n0 = time.thread_time_ns()
s0 = time.thread_time()
x = 0
for i in range(200000):
    x += i
n1 = time.thread_time_ns()
s1 = time.thread_time()
print(isinstance(n0, int), isinstance(s0, float))
print(n1 >= n0, s1 >= s0, n1 > n0)
print(abs(s1 - n1 / 1e9) < 1.0)
print(x)
