# A built-in type's method called through the type on an instance of a subclass acts on the
# instance's built-in value: list.append(self, x) inside a list subclass, dict.__setitem__ in an
# overriding __setitem__, str.upper(self).
class Stack(list):
    def push(self, x):
        list.append(self, x)
    def __iadd__(self, other):
        return list.__iadd__(self, other)
s = Stack()
s.push(1)
list.append(s, 2)
list.extend(s, [3, 4])
print(s, len(s), list.__len__(s), list.pop(s), list.index(s, 2), type(s).__name__)
s += [9]
print(s, type(s).__name__)
class D(dict):
    def __setitem__(self, k, v):
        dict.__setitem__(self, k, v * 2)
    def __getitem__(self, k):
        return dict.__getitem__(self, k) + 1
d = D()
d["a"] = 1
print(d, d["a"], dict.get(d, "a"), list(dict.keys(d)), dict.__contains__(d, "a"))
class U(str):
    def shout(self):
        return str.upper(self) + "!"
print(U("hi").shout(), str.join(",", U("ab")), str.__len__(U("abc")), str.startswith(U("abc"), "ab"))
class C(set):
    pass
c = C([1, 2])
set.add(c, 3)
print(sorted(c), set.__len__(c), set.issubset(c, {1, 2, 3, 4}))
try:
    list.append(U("x"), 1)
except TypeError as e:
    print("TypeError")
