# Everyday containers and builtins: collections, dict/set/list/tuple operations, slicing,
# deepcopy, built-in __name__/__qualname__.
from collections import defaultdict, Counter, OrderedDict, namedtuple, deque
d = defaultdict(list); d["a"].append(1); print(dict(d), d["zz"], len(d))
c = Counter("abracadabra"); print(c.most_common(2), c["z"], sorted(c.elements())[:4], c + Counter("aa"))
P = namedtuple("P", "x y"); p = P(1, y=2); print(p, p._asdict(), p._replace(x=5), P._fields, p.x + p[1])
q = deque([1, 2, 3], maxlen=3); q.append(4); q.appendleft(0); print(q, q.pop(), q.popleft(), list(q))
od = OrderedDict(a=1, b=2); od.move_to_end("a"); print(list(od), od.popitem(last=False))
class Node:
    def __init__(self, v, nxt=None): self.v, self.nxt = v, nxt
    def __iter__(self):
        n = self
        while n: yield n.v; n = n.nxt
print(list(Node(1, Node(2, Node(3)))))
m = {"b": 2, "a": 1}
print(sorted(m.items()), list(m.keys()), m.setdefault("c", 3), m.pop("b"), m, m | {"z": 0}, {k: v for k, v in sorted(m.items(), key=lambda kv: -kv[1])})
s = {3, 1, 2}; print(s & {1, 5}, s | {9}, s - {1}, s ^ {1, 7}, s <= {1, 2, 3, 4}, frozenset([1]) in {frozenset([1])})
l = [5, 3, 8]; l.sort(); l.insert(0, 9); l.extend((7,)); print(l, l[-1], l[1:-1], l.index(8), l * 2 == l + l)
t = (1, [2]); t[1].append(3); print(t, t.count(1), (1, 2) < (1, 3), tuple(reversed(t)))
print(isinstance(True, int), True + True, type(3 / 1), 3 // 1.5, 0.1 * 3 == 0.3, abs(-0.0), -7 // 2, 7 % -3)
print(chr(955), ord("λ"), "λ".encode("utf-8"), b"abc"[1], b"abc"[0:2], bytes([65, 66]), b"x" * 3)
print(sorted({"b": 1, "a": 2}, key={"b": 1, "a": 2}.get), min([], default="empty"), max("abc", key=ord))
print(list(map(str, range(3))), "".join(reversed("abc")), " ".join(w.capitalize() for w in "a b".split()))
x = [1, 2, 3, 4, 5, 6]; x[1:3] = [9]; del x[::2]; print(x)
matrix = [[1, 2, 3], [4, 5, 6]]; print([list(r) for r in zip(*matrix)], [[r[i] for r in matrix] for i in range(3)])
import copy
a = [[1], {"k": [2]}]; b = copy.deepcopy(a); b[0].append(9); print(a, b, copy.copy(a)[0] is a[0])
print(globals().get("zz", "none"), callable(len), callable(3), id(a) == id(a), type(None).__name__)
print(int.__name__, len.__name__, [].append.__name__, str.upper.__qualname__, (lambda: 0).__name__)
print(divmod(7.5, 2), 2 ** 0.5, 10 ** -2, float("inf") > 1e308, complex(1, 2) if False else "nocomplex")
import math
print(math.sqrt.__qualname__, dict.fromkeys.__qualname__, "a".join.__qualname__, list.append.__qualname__, print.__qualname__)
