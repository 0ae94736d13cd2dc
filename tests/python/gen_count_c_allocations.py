# gc.get_count() moves with what CPython's C code allocates behind a call, so a program's
# count (and the moment of each automatic collection) depends on it. Each line is the change
# of generation 0's count over one statement run right after a full collection (which empties
# the free lists): argument tuples of print, class calls, str()/int(), min/max, f(*xs),
# keyword dicts; objects made once on first use (print's keyword names, the repr guard);
# constant tuples folded at compile time; "%s" formats rewritten into f-strings; method
# objects of built-in types (made at start-up in CPython).
import gc

results = []


def delta(label, f):
    gc.collect()
    a = gc.get_count()[0]
    f()
    b = gc.get_count()[0]
    results.append((label, b - a))


class Plain:
    pass


class Init:
    def __init__(self, x=None, y=None):
        self.x = x


class Star:
    def __init__(self, *args):
        self.args = args


def plain(x):
    return x


v, items = 5, [3, 1, 2]
delta("first print ever", lambda: print("hello"))
delta("second print", lambda: print("hello"))
delta("print three args", lambda: print(1, 2, 3))
delta("print no args", lambda: print())
delta("first repr of a list", lambda: repr([1]))
delta("repr of an empty list", lambda: repr([]))
delta("second repr", lambda: repr((v, v)))
delta("Plain()", lambda: Plain())
delta("Init(1)", lambda: Init(1))
delta("Init(1, 2)", lambda: Init(1, 2))
delta("Init(x=1)", lambda: Init(x=1))
delta("Star(1)", lambda: Star(1))
delta("str(v)", lambda: str(v))
delta("int('7')", lambda: int("7"))
delta("float(v)", lambda: float(v))
delta("list(items)", lambda: list(items))
delta("min(items)", lambda: min(items))
delta("max(1, 2)", lambda: max(1, 2))
delta("enumerate(items)", lambda: enumerate(items))
delta("zip(items, items)", lambda: zip(items, items))
delta("map(str, items)", lambda: map(str, items))
delta("'{}'.format(v)", lambda: "{}".format(v))
delta("plain(*[1])", lambda: plain(*[1]))
delta("plain(*(1,))", lambda: plain(*(1,)))
delta("plain(**{'x': 1})", lambda: plain(**{"x": 1}))
delta("constant tuple", lambda: (1, 2, (3, "a")))
delta("built tuple", lambda: (v, v))
delta("'%s-%r' % (v, v)", lambda: "%s-%r" % (v, v))
delta("'%d' % (v,)", lambda: "%d" % (v,))
delta("items.append (first use)", lambda: items.append(4))
delta("items.pop (first use)", lambda: items.pop())
delta("items.append again", lambda: items.append(4))
for label, d in results:
    print(f"{label}: {d}")
