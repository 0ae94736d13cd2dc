# A missing dict key.
d = {"a": 1}
print(d["a"])
d["k"]
