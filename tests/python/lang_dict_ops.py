# Dict methods; insertion order is kept.
d = {"b": 2, "a": 1}
d["c"] = 3
print(d, len(d), list(d), list(d.values()), list(d.items()))
print(d.get("a"), d.get("z"), d.get("z", 0), "a" in d, "z" not in d)
print(d.pop("b"), d, d.setdefault("e", 5), d)
d.update({"a": 10, "f": 6})
print(d)
d.update(g=7)
print(d.popitem(), d)
print(dict([("x", 1), ("y", 2)]), dict(zip("ab", [1, 2])), dict.fromkeys("xy", 0))
e = dict(d)
e["a"] = -1
print(d["a"], e["a"], d == e, {1: 2} == {1: 2})
for k, v in sorted(d.items()):
    print(k, v)
del d["a"]
print(d, {**d, "z": 0}, d | {"q": 1})
