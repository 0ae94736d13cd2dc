# The Python half of pyheap's `weakref` module (compiled into the module's dict at import).
#
#   WeakValueDictionary   data: {key: ref(value, cb)}     cb(wr) drops `key` if data[key] is wr
#   WeakKeyDictionary     _order: {seq: entry}            entry = [ref(key, cb), value, seq, h]
#                         _buckets: {hash(key): [entry]}  cb(wr) drops the entry holding wr
#   proxy(obj[, cb])      ProxyType / CallableProxyType instance holding ref(obj, cb')
#
# Every callback reaches its dictionary (or proxy) through a weak reference, so a dictionary
# never keeps itself alive through its own entries. WeakKeyDictionary keeps its own hash
# buckets instead of keying a dict by weak references: a dead weak reference has no hash to
# look up by, while the bucket remembers the hash the key had when it was stored.


class WeakValueDictionary:
    def __init__(self, other=(), **kw):
        self.data = {}
        self._selfref = ref(self)
        self.update(other, **kw)

    def _callback(self, key):
        selfref = self._selfref

        def remove(wr):
            d = selfref()
            if d is not None and d.data.get(key) is wr:
                del d.data[key]

        return remove

    def __getitem__(self, key):
        o = self.data[key]()
        if o is None:
            raise KeyError(key)
        return o

    def __setitem__(self, key, value):
        self.data[key] = ref(value, self._callback(key))

    def __delitem__(self, key):
        del self.data[key]

    def __len__(self):
        return len(self.data)

    def __contains__(self, key):
        wr = self.data.get(key)
        return wr is not None and wr() is not None

    def __iter__(self):
        for k, wr in list(self.data.items()):
            if wr() is not None:
                yield k

    def __repr__(self):
        return "<%s at %#x>" % (type(self).__name__, id(self))

    def get(self, key, default=None):
        wr = self.data.get(key)
        if wr is None:
            return default
        o = wr()
        return default if o is None else o

    def keys(self):
        for k, wr in list(self.data.items()):
            if wr() is not None:
                yield k

    def values(self):
        for wr in list(self.data.values()):
            o = wr()
            if o is not None:
                yield o

    def items(self):
        for k, wr in list(self.data.items()):
            o = wr()
            if o is not None:
                yield k, o

    def valuerefs(self):
        return list(self.data.values())

    def pop(self, key, *args):
        if len(args) > 1:
            raise TypeError("pop expected at most 2 arguments, got %d" % (1 + len(args)))
        try:
            o = self.data.pop(key)()
        except KeyError:
            o = None
        if o is None:
            if args:
                return args[0]
            raise KeyError(key)
        return o

    def popitem(self):
        while True:
            key, wr = self.data.popitem()
            o = wr()
            if o is not None:
                return key, o

    def setdefault(self, key, default=None):
        o = self.get(key)
        if o is None:
            self[key] = default
            return default
        return o

    def update(self, other=(), **kw):
        if hasattr(other, "items"):
            other = other.items()
        for k, v in other:
            self[k] = v
        for k, v in kw.items():
            self[k] = v

    def clear(self):
        self.data.clear()

    def copy(self):
        new = WeakValueDictionary()
        for k, v in self.items():
            new[k] = v
        return new


class WeakKeyDictionary:
    def __init__(self, dict=None):
        self._order = {}
        self._buckets = {}
        self._seq = 0
        self._selfref = ref(self)
        if dict is not None:
            self.update(dict)

    def _callback(self, h):
        selfref = self._selfref

        def remove(wr):
            d = selfref()
            if d is not None:
                d._drop(h, wr)

        return remove

    def _drop(self, h, wr):
        bucket = self._buckets.get(h)
        if bucket is None:
            return None
        for i in range(len(bucket)):
            e = bucket[i]
            if e[0] is wr:
                del bucket[i]
                if not bucket:
                    del self._buckets[h]
                del self._order[e[2]]
                return e
        return None

    def _find(self, key):
        ref(key)  # TypeError for objects that take no weak references, as CPython
        h = hash(key)
        for e in self._buckets.get(h, ()):
            k = e[0]()
            if k is not None and (k is key or k == key):
                return h, e
        return h, None

    def __getitem__(self, key):
        h, e = self._find(key)
        if e is None:
            raise KeyError(key)
        return e[1]

    def __setitem__(self, key, value):
        h, e = self._find(key)
        if e is not None:
            e[1] = value
            return
        self._seq += 1
        e = [ref(key, self._callback(h)), value, self._seq, h]
        self._order[self._seq] = e
        self._buckets.setdefault(h, []).append(e)

    def __delitem__(self, key):
        h, e = self._find(key)
        if e is None:
            raise KeyError(key)
        self._drop(h, e[0])

    def __len__(self):
        return len(self._order)

    def __contains__(self, key):
        try:
            h, e = self._find(key)
        except TypeError:
            return False
        return e is not None

    def __iter__(self):
        return self.keys()

    def __repr__(self):
        return "<%s at %#x>" % (type(self).__name__, id(self))

    def get(self, key, default=None):
        h, e = self._find(key)
        return default if e is None else e[1]

    def keys(self):
        for e in list(self._order.values()):
            k = e[0]()
            if k is not None:
                yield k

    def values(self):
        for e in list(self._order.values()):
            if e[0]() is not None:
                yield e[1]

    def items(self):
        for e in list(self._order.values()):
            k = e[0]()
            if k is not None:
                yield k, e[1]

    def keyrefs(self):
        return [e[0] for e in self._order.values()]

    def pop(self, key, *args):
        if len(args) > 1:
            raise TypeError("pop expected at most 2 arguments, got %d" % (1 + len(args)))
        h, e = self._find(key)
        if e is None:
            if args:
                return args[0]
            raise KeyError(key)
        self._drop(h, e[0])
        return e[1]

    def popitem(self):
        while self._order:
            seq = next(reversed(list(self._order)))
            e = self._order[seq]
            self._drop(e[3], e[0])
            k = e[0]()
            if k is not None:
                return k, e[1]
        raise KeyError("popitem(): dictionary is empty")

    def setdefault(self, key, default=None):
        h, e = self._find(key)
        if e is not None:
            return e[1]
        self[key] = default
        return default

    def update(self, dict=None, **kw):
        if dict is not None:
            if hasattr(dict, "items"):
                dict = dict.items()
            for k, v in dict:
                self[k] = v
        for k, v in kw.items():
            self[k] = v

    def clear(self):
        self._order.clear()
        self._buckets.clear()

    def copy(self):
        new = WeakKeyDictionary()
        for k, v in self.items():
            new[k] = v
        return new


def _deref(p):
    o = p._wp_ref()
    if o is None:
        raise ReferenceError("weakly-referenced object no longer exists")
    return o


def _unwrap(x):
    if type(x) is ProxyType or type(x) is CallableProxyType:
        return _deref(x)
    return x


class ProxyType:
    def __getattr__(self, name):
        return getattr(_deref(self), name)

    def __setattr__(self, name, value):
        setattr(_deref(self), name, value)

    def __delattr__(self, name):
        delattr(_deref(self), name)

    def __repr__(self):
        o = self._wp_ref()
        return "<weakproxy at %#x to %s at %#x>" % (id(self), type(o).__name__, id(o))

    def __hash__(self):
        raise TypeError("unhashable type: '%s.%s'" % (__name__, type(self).__name__))

    def __str__(self):
        return str(_deref(self))

    def __bool__(self):
        return bool(_deref(self))

    def __len__(self):
        return len(_deref(self))

    def __iter__(self):
        return iter(_deref(self))

    def __next__(self):
        return next(_deref(self))

    def __getitem__(self, k):
        return _deref(self)[k]

    def __setitem__(self, k, v):
        _deref(self)[k] = v

    def __delitem__(self, k):
        del _deref(self)[k]

    def __contains__(self, k):
        return k in _deref(self)

    def __eq__(self, other):
        return _deref(self) == _unwrap(other)

    def __ne__(self, other):
        return _deref(self) != _unwrap(other)

    def __lt__(self, other):
        return _deref(self) < _unwrap(other)

    def __le__(self, other):
        return _deref(self) <= _unwrap(other)

    def __gt__(self, other):
        return _deref(self) > _unwrap(other)

    def __ge__(self, other):
        return _deref(self) >= _unwrap(other)

    def __truediv__(self, other):
        return _deref(self) / _unwrap(other)

    def __floordiv__(self, other):
        return _deref(self) // _unwrap(other)

    def __mod__(self, other):
        return _deref(self) % _unwrap(other)

    def __neg__(self):
        return -_deref(self)

    def __add__(self, other):
        return _deref(self) + _unwrap(other)

    def __radd__(self, other):
        return _unwrap(other) + _deref(self)

    def __sub__(self, other):
        return _deref(self) - _unwrap(other)

    def __rsub__(self, other):
        return _unwrap(other) - _deref(self)

    def __mul__(self, other):
        return _deref(self) * _unwrap(other)

    def __rmul__(self, other):
        return _unwrap(other) * _deref(self)


class CallableProxyType(ProxyType):
    def __call__(self, *args, **kw):
        return _deref(self)(*args, **kw)


class _Shared:
    """The callback of the reference behind a proxy made without one: it does nothing, and it
    finds that proxy again (CPython hands out one such proxy per object)."""

    def __init__(self, pref):
        self.pref = pref

    def __call__(self, wr):
        pass


def proxy(obj, callback=None):
    if callback is None:
        for w in getweakrefs(obj):
            cb = w.__callback__
            if type(cb) is _Shared:
                q = cb.pref()
                if q is not None:
                    return q
    p = CallableProxyType() if callable(obj) else ProxyType()
    pref = ref(p)
    if callback is None:
        r = ref(obj, _Shared(pref))
    else:

        def call(wr):
            q = pref()
            if q is not None:
                callback(q)

        r = ref(obj, call)
    _setown(p, "_wp_ref", r)
    return p


ProxyTypes = (ProxyType, CallableProxyType)
