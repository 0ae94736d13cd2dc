# The Python half of pyheap's `weakref` module (compiled into the module's dict at import).
#
#   WeakValueDictionary   data: {key: ref(value, cb)}     cb(wr) drops `key` if data[key] is wr
#   WeakKeyDictionary     _order: {seq: entry}            entry = [ref(key, cb), value, seq, h]
#                         _buckets: {hash(key): [entry]}  cb(wr) drops the entry holding wr
#   proxy(obj[, cb])      ProxyType / CallableProxyType instance holding ref(obj, cb')
#   WeakSet               a WeakKeyDictionary whose values are None
#   WeakMethod(m)         ref(m.__self__), ref(m.__func__); calling it rebinds them
#   finalize(obj, f, ..)  ref(obj, the finalize object itself); finalize._registry keeps every
#                         live one; at exit the pending ones run newest first (atexit module)
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


class WeakSet:
    """A set of weakly held objects: a WeakKeyDictionary whose values are all None, so an
    element leaves the set when it dies."""

    def __init__(self, data=None):
        self._d = WeakKeyDictionary()
        if data is not None:
            self.update(data)

    def add(self, item):
        self._d[item] = None

    def discard(self, item):
        try:
            del self._d[item]
        except (KeyError, TypeError):
            pass

    def remove(self, item):
        del self._d[item]

    def pop(self):
        try:
            return self._d.popitem()[0]
        except KeyError:
            raise KeyError("pop from empty WeakSet") from None

    def clear(self):
        self._d.clear()

    def update(self, other):
        for x in other:
            self.add(x)

    def copy(self):
        return type(self)(self)

    def __len__(self):
        return len(self._d)

    def __contains__(self, item):
        return item in self._d

    def __iter__(self):
        return self._d.keys()

    def __repr__(self):
        return repr(set(self))

    def __eq__(self, other):
        if not isinstance(other, WeakSet):
            return NotImplemented
        return set(self) == set(other)

    __hash__ = None

    def union(self, other):
        new = self.copy()
        new.update(other)
        return new

    __or__ = union

    def intersection(self, other):
        return type(self)(x for x in other if x in self)

    __and__ = intersection

    def difference(self, other):
        new = self.copy()
        for x in other:
            new.discard(x)
        return new

    __sub__ = difference

    def issubset(self, other):
        return all(x in other for x in self)

    __le__ = issubset

    def issuperset(self, other):
        return all(x in self for x in other)

    __ge__ = issuperset

    def isdisjoint(self, other):
        return not any(x in self for x in other)


class WeakMethod:
    """A weak reference to a bound method: it holds its object and its function weakly and
    calling it makes the bound method again, or gives None once either is gone."""

    def __init__(self, meth, callback=None):
        try:
            obj = meth.__self__
            func = meth.__func__
        except AttributeError:
            raise TypeError(
                "argument should be a bound method, not {}".format(type(meth))
            ) from None
        self._alive = True
        selfref = ref(self)

        def gone(wr):
            w = selfref()
            if w is not None and w._alive:
                w._alive = False
                if callback is not None:
                    callback(w)

        self._obj = ref(obj, gone)
        self._func = ref(func, gone)

    def __call__(self):
        obj = self._obj()
        func = self._func()
        if obj is None or func is None:
            return None
        return func.__get__(obj, type(obj))

    def __eq__(self, other):
        if isinstance(other, WeakMethod):
            if not self._alive or not other._alive:
                return self is other
            return self._obj == other._obj and self._func == other._func
        return NotImplemented

    def __hash__(self):
        return hash((self._obj, self._func))


class finalize:
    """finalize(obj, func, /, *args, **kwargs): call func(*args, **kwargs) once, when obj dies,
    when the finalizer is called, or at interpreter exit (if `atexit` is true, the default;
    pending finalizers then run newest first, through the atexit module)."""

    _registry = {}
    _index = 0
    _registered_with_atexit = False

    def __init__(self, obj, func, /, *args, **kwargs):
        if not finalize._registered_with_atexit:
            import atexit

            atexit.register(finalize._exitfunc)
            finalize._registered_with_atexit = True
        self._ref = ref(obj, self)
        self._info = [func, args, kwargs or None, True]
        finalize._index += 1
        self._index = finalize._index
        finalize._registry[self] = self._index

    def __call__(self, _=None):
        if finalize._registry.pop(self, None) is not None:
            func, args, kwargs, _atexit = self._info
            self._info = None
            return func(*args, **(kwargs or {}))

    def detach(self):
        obj = self._ref()
        if obj is not None and finalize._registry.pop(self, None) is not None:
            func, args, kwargs, _atexit = self._info
            self._info = None
            return (obj, func, args, kwargs or {})

    def peek(self):
        obj = self._ref()
        if obj is not None and self in finalize._registry:
            func, args, kwargs, _atexit = self._info
            return (obj, func, args, kwargs or {})

    @property
    def alive(self):
        return self in finalize._registry

    @property
    def atexit(self):
        return self._info is not None and self._info[3]

    @atexit.setter
    def atexit(self, value):
        if self._info is not None:
            self._info[3] = bool(value)

    def __repr__(self):
        obj = self._ref()
        if obj is None:
            return "<%s object at %#x; dead>" % (type(self).__name__, id(self))
        return "<%s object at %#x; for %r at %#x>" % (
            type(self).__name__,
            id(self),
            type(obj).__name__,
            id(obj),
        )

    @staticmethod
    def _exitfunc():
        pending = sorted(
            (i, f) for f, i in finalize._registry.items() if f._info[3]
        )
        while pending:
            i, f = pending.pop()
            try:
                f()
            except Exception:
                import traceback

                traceback.print_exc()
