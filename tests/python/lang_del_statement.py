# del on names, items, slices and attributes.
x = 1
del x
try:
    x
except NameError as e:
    print(e)
lst = list(range(6))
del lst[1], lst[-1]
print(lst)
d = {"a": 1, "b": 2}
del d["a"]
print(d)
class O:
    pass
o = O()
o.v = 1
del o.v
print(hasattr(o, "v"))
try:
    del o.v
except AttributeError as e:
    print(e)
