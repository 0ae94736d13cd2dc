import heapq, bisect
from heapq import heappush, heappop, heapify, heappushpop, heapreplace, nlargest, nsmallest, merge

h = []
for v in [5, 1, 8, 3, 9, 2, 7]:
    heappush(h, v)
print(h[0], [heappop(h) for _ in range(len(h))], h)
data = [9, 4, 7, 1, 8, 2, 2, 6]
heapify(data)
print(data[0], all(data[k] <= data[c] for k in range(len(data)) for c in (2 * k + 1, 2 * k + 2) if c < len(data)))
print(sorted(data) == [heappop(data) for _ in range(8)])
h = [1, 3, 5]
print(heappushpop(h, 0), h, heappushpop(h, 4), h)
print(heapreplace(h, 10), h)
print(nlargest(3, [5, 1, 8, 3, 9]), nsmallest(2, [5, 1, 8, 3, 9]), nlargest(0, [1]), nsmallest(10, [2, 1]))
print(nlargest(2, ['aaa', 'b', 'cc'], key=len), nsmallest(2, {'x': 3, 'y': 1, 'z': 2}.items(), key=lambda kv: kv[1]))
print(list(merge([1, 4, 7], [2, 5, 8], [3, 6, 9])), list(merge([], [1], [])))
print(list(merge(['a', 'ccc'], ['bb', 'dddd'], key=len)), list(merge([9, 5, 1], [8, 2], reverse=True)))
tasks = []
for pri, name in [(3, 'low'), (1, 'urgent'), (2, 'mid'), (1, 'also urgent')]:
    heappush(tasks, (pri, name))
print([heappop(tasks)[1] for _ in range(4)])
for bad in (lambda: heappop([]), lambda: heapreplace([], 1), lambda: heappush((), 1),
            lambda: heapify({}), lambda: heappush([1], 'a')):
    try:
        bad()
    except (IndexError, TypeError) as e:
        print(type(e).__name__ + ':', e)

a = [1, 2, 4, 4, 4, 8]
print(bisect.bisect_left(a, 4), bisect.bisect_right(a, 4), bisect.bisect(a, 4), bisect.bisect(a, 0), bisect.bisect(a, 100))
print(bisect.bisect_left(a, 4, 0, 3), bisect.bisect_right(a, 4, 4), bisect.bisect_left(a, 3, lo=1, hi=None))
b = []
for v in [5, 1, 4, 1, 3]:
    bisect.insort(b, v)
print(b)
bisect.insort_left(b, 4)
bisect.insort_right(b, 2)
print(b)
def grade(score, breakpoints=[60, 70, 80, 90], grades='FDCBA'):
    return grades[bisect.bisect(breakpoints, score)]
print([grade(s) for s in [33, 99, 77, 70, 89, 90, 100]])
people = [('amy', 20), ('bob', 30), ('cat', 40)]
print(bisect.bisect_left(people, 30, key=lambda p: p[1]), bisect.bisect_right(people, 30, key=lambda p: p[1]))
bisect.insort(people, ('dan', 35), key=lambda p: p[1])
bisect.insort_left(people, ('eve', 30), key=lambda p: p[1])
print(people)
print(bisect.bisect_left('acegi', 'f'), bisect.bisect_right((1.5, 2.5), 2))
try:
    bisect.bisect_left(a, 1, -1)
except ValueError as e:
    print('ValueError:', e)
try:
    bisect.bisect(a, 'x')
except TypeError as e:
    print('TypeError:', e)
