class Error(Exception):
    pass

error = Error

_ATOMIC = (type(None), int, float, bool, str, bytes, type, range,
           type(len), type(lambda: 0), type(Ellipsis), type(NotImplemented), property)

def copy(x):
    cls = type(x)
    if cls in _ATOMIC or cls in (tuple, frozenset):
        return x
    if cls in (list, dict, set):
        return x.copy()
    hook = getattr(cls, '__copy__', None)
    if hook is not None:
        return hook(x)
    return _copy_instance(x, cls, None, None)

def deepcopy(x, memo=None, _nil=[]):
    if memo is None:
        memo = {}
    d = id(x)
    y = memo.get(d, _nil)
    if y is not _nil:
        return y
    cls = type(x)
    if cls in _ATOMIC:
        return x
    if cls is list:
        y = []
        memo[d] = y
        for item in x:
            y.append(deepcopy(item, memo))
    elif cls is dict:
        y = {}
        memo[d] = y
        for k, v in x.items():
            y[deepcopy(k, memo)] = deepcopy(v, memo)
    elif cls is tuple or cls is frozenset:
        items = [deepcopy(item, memo) for item in x]
        # A tuple whose items are all kept is the same tuple.
        if all(a is b for a, b in zip(items, x)):
            return x
        if d in memo:
            return memo[d]
        y = cls(items)
    elif cls is set:
        y = set()
        memo[d] = y
        for item in x:
            y.add(deepcopy(item, memo))
    else:
        hook = getattr(x, '__deepcopy__', None)
        if hook is not None:
            y = hook(memo)
        else:
            y = _copy_instance(x, cls, memo, d)
    if y is not x:
        memo[d] = y
        memo.setdefault(id(memo), []).append(x)
    return y

def _copy_instance(x, cls, memo, d):
    # A new instance of the same class (its __init__ not run), then its attributes: the
    # same objects for copy, deep copies for deepcopy.
    base = None
    for b in cls.__mro__:
        if b in (list, dict, set, tuple, frozenset, str, int, float, bytes):
            base = b
            break
    if base in (tuple, frozenset, str, int, float, bytes):
        value = base(x) if memo is None else base(deepcopy(base(x), memo))
        y = cls.__new__(cls, value) if base is not tuple or not hasattr(cls, '_fields') \
            else cls._make(value)
    else:
        y = cls.__new__(cls)
    if memo is not None:
        memo[d] = y
    if base is list:
        y.extend(x if memo is None else [deepcopy(v, memo) for v in x])
    elif base is dict:
        for k, v in x.items():
            if memo is None:
                dict.__setitem__(y, k, v)
            else:
                dict.__setitem__(y, deepcopy(k, memo), deepcopy(v, memo))
    elif base is set:
        y.update(x if memo is None else [deepcopy(v, memo) for v in x])
    state = getattr(x, '__dict__', None)
    if state:
        if memo is not None:
            state = deepcopy(state, memo)
        y.__dict__.update(state)
    for klass in cls.__mro__:
        for name in getattr(klass, '__slots__', ()):
            if name in ('__dict__', '__weakref__') or not hasattr(x, name):
                continue
            value = getattr(x, name)
            setattr(y, name, value if memo is None else deepcopy(value, memo))
    return y
