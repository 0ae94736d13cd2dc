# Mutating a dict or a set while a for loop walks it: CPython's RuntimeErrors.

def attempt(label, body):
    try:
        body()
        print(label, "no error")
    except RuntimeError as e:
        print(label, "RuntimeError:", e)


def grow():
    d = {1: "a", 2: "b"}
    for k in d:
        print("  visit", k)
        d[k + 10] = "new"


def shrink():
    d = {1: "a", 2: "b", 3: "c"}
    for k in d:
        print("  visit", k)
        del d[3]


def replace_current():
    # Same size, but the key just returned is gone: CPython notices only at the end.
    d = {1: "a"}
    for k in d:
        print("  visit", k)
        del d[k]
        d[k + 10] = "new"


def set_grow():
    s = {1, 2, 3}
    for x in s:
        s.add(x + 10)


def set_shrink():
    s = {1, 2, 3}
    for x in s:
        s.discard(x)


attempt("grow", grow)
attempt("shrink", shrink)
attempt("replace current", replace_current)
attempt("set grow", set_grow)
attempt("set shrink", set_shrink)

# The error repeats on every later next() (CPython's iterator stays broken).
d = {1: 1, 2: 2}
it = iter(d)
print(next(it))
d[3] = 3
for _ in range(2):
    try:
        next(it)
    except RuntimeError as e:
        print("again:", e)
del d[3]
try:
    print(next(it))
except RuntimeError as e:
    print("after restoring the size:", e)

# Changing values (not keys) is allowed; iteration without mutation is unchanged.
d = {"x": 1, "y": 2, "z": 3}
for k in d:
    d[k] = d[k] * 10
print(d)
print(list(d), [k for k in d], sorted(d, reverse=True), tuple(iter(d)))
it = iter({})
print(next(it, "empty"))
total = 0
big = {i: i for i in range(1000)}
for k in big:
    total += k
print(total, len(big))
