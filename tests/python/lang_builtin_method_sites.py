# One `o.m(...)` call site meeting values of several types in turn: the site's method cache
# (filled by a str, a list or a dict) must not answer for another type, a subclass that
# overrides the method, an instance attribute that shadows it, or a class whose methods change.


def upper_of(o):
    return o.upper()


class Shout(str):
    def upper(self):
        return "shout:" + str.upper(self)


class Plain(str):
    pass


class HasUpper:
    def upper(self):
        return "HasUpper.upper"


class Dyn:
    def __getattr__(self, name):
        return lambda: "getattr:" + name


for o in ["abc", Shout("xy"), Plain("pq"), "def", HasUpper(), b"bytes", Dyn(), "ghi"]:
    print(type(o).__name__, upper_of(o))


def get_of(d, k):
    return d.get(k, "missing")


class Defaulting(dict):
    def get(self, k, default=None):
        return "Defaulting.get(%s)" % k


class Inherits(dict):
    pass


ids = Inherits(a=1)
for d in [{"a": 1}, Defaulting(a=2), ids, {"b": 3}, {}]:
    print(type(d).__name__, get_of(d, "a"))

# An instance attribute named like the method shadows it for that instance only.
ids.get = lambda k, default=None: "instance attribute"
print(get_of(ids, "a"), get_of({"a": 5}, "a"), get_of(Inherits(a=6), "a"))
del ids.get
print(get_of(ids, "a"))


# A method added to / replaced on a subclass after the site has run.
class Late(list):
    pass


def append_to(lst, v):
    lst.append(v)
    return lst


late = Late()
print(append_to([1], 2), append_to(late, 3))
Late.append = lambda self, v: list.append(self, v * 10)
print(append_to(late, 4), append_to([5], 6))
del Late.append
print(append_to(late, 7))

# Built-in types reject method replacement (the site's answer stays valid).
for target, name in [(str, "upper"), (dict, "get"), (list, "append")]:
    try:
        setattr(target, name, None)
    except TypeError as e:
        print("TypeError:", e)
print(upper_of("still"), get_of({"a": "still"}, "a"), append_to([], "still"))

# The same name on different built-in types at one site: each its own method.
def count_of(o):
    return o.count("a")


for o in ["banana", ["a", "b", "a"], ("a",), "aaa", [1]]:
    print(type(o).__name__, count_of(o))


# Methods of the site's type called with wrong arguments still raise CPython's errors.
def get_bad(d):
    return d.get()


for d in [{}, {"x": 1}]:
    try:
        get_bad(d)
    except TypeError as e:
        print("TypeError:", e)


# The method object the site loads is the type's own one (`d.get` vs `dict.get`).
def method_of(o):
    m = o.upper
    return m()


print(method_of("abc"), method_of(Shout("q")), dict.get({"k": 1}, "k"), str.upper("z"))

# Unbound calls through the type at a site, then bound ones.
def call_unbound(t, o):
    return t.upper(o)


print(call_unbound(str, "u"), call_unbound(Shout, Shout("v")), upper_of("w"))
