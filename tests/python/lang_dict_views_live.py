# Dict views are live: keys(), values() and items() read the dict at the moment they are used.
d = {'a': 1, 'b': 2}
k, v, it = d.keys(), d.values(), d.items()
print(k, v, it)
print(type(k).__name__, type(v).__name__, type(it).__name__)
d['c'] = 3
print(len(k), len(v), len(it))
print(list(k), list(v), list(it))
print('c' in k, 'z' in k, 3 in v, 9 in v, ('c', 3) in it, ('c', 4) in it, 'c' in it)
del d['a']
print(k, v, it)
d.clear()
print(k, v, it, bool(k), len(it))
d.update(x=10, y=20)
print(sorted(k), sorted(v), sorted(it))
for key, val in d.items():
    print(key, val)
print(list(reversed(d.keys())), list(reversed(d.values())), list(reversed(d.items())))
print(dict(d.items()) == d, tuple(d.values()), sum(d.values()), max(d.keys()))
print(list(zip(d.keys(), d.values())))
# A view inside its own dict prints as `...`.
d2 = {}
d2['me'] = d2.values()
print(d2, d2['me'])
try:
    hash(d.keys())
except TypeError as e:
    print("TypeError:", e)
try:
    hash(d.items())
except TypeError as e:
    print("TypeError:", e)
print(hash(d.values()) == hash(d.values()) or "values views hash by identity")
try:
    d.keys()[0]
except TypeError as e:
    print("TypeError:", e)
