class FrozenInstanceError(AttributeError):
    pass

class _Missing:
    def __repr__(self):
        return "MISSING"

MISSING = _Missing()

class Field:
    def __init__(self, default, default_factory, init, repr, hash, compare, metadata, kw_only):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = {} if metadata is None else metadata
        self.kw_only = kw_only

    def __repr__(self):
        return ("Field(name=" + repr(self.name) + ",type=" + repr(self.type) + ",default="
                + repr(self.default) + ",default_factory=" + repr(self.default_factory)
                + ",init=" + repr(self.init) + ",repr=" + repr(self.repr) + ",hash="
                + repr(self.hash) + ",compare=" + repr(self.compare) + ",metadata="
                + repr(self.metadata) + ",kw_only=" + repr(self.kw_only) + ")")

def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None,
          compare=True, metadata=None, kw_only=MISSING):
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)

def _is_classvar(t):
    if isinstance(t, str):
        return t.startswith("ClassVar") or t.startswith("typing.ClassVar")
    return getattr(t, "__name__", None) == "ClassVar"

def fields(obj):
    try:
        fs = obj.__dataclass_fields__
    except AttributeError:
        raise TypeError("must be called with a dataclass type or instance") from None
    return tuple(fs.values())

def is_dataclass(obj):
    cls = obj if isinstance(obj, type) else type(obj)
    return hasattr(cls, "__dataclass_fields__")

def _astuple_fields(self):
    return tuple(getattr(self, f.name) for f in self.__dataclass_fields__.values() if f.compare)

def _convert(v, how):
    if hasattr(type(v), "__dataclass_fields__"):
        return how(v)
    if isinstance(v, tuple) and hasattr(v, "_fields"):
        return type(v)(*[_convert(x, how) for x in v])
    if isinstance(v, (list, tuple)):
        return type(v)(_convert(x, how) for x in v)
    if isinstance(v, dict):
        return type(v)((_convert(k, how), _convert(x, how)) for k, x in v.items())
    import copy
    return copy.deepcopy(v)

def asdict(obj):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError("asdict() should be called on dataclass instances")
    return {f.name: _convert(getattr(obj, f.name), asdict) for f in fields(obj)}

def astuple(obj):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError("astuple() should be called on dataclass instances")
    return tuple(_convert(getattr(obj, f.name), astuple) for f in fields(obj))

def replace(obj, **changes):
    for f in fields(obj):
        if f.init and f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)

def _process(cls, init, repr_, eq, order, unsafe_hash, frozen):
    all_fields = {}
    for b in cls.__mro__[-1:0:-1]:
        base_fields = getattr(b, "__dataclass_fields__", None)
        if base_fields:
            for f in base_fields.values():
                all_fields[f.name] = f
    ann = cls.__dict__.get("__annotations__", {})
    for name, tp in ann.items():
        if _is_classvar(tp):
            continue
        default = cls.__dict__.get(name, MISSING)
        if isinstance(default, Field):
            f = default
        else:
            f = field(default=default)
        f.name = name
        f.type = tp
        if isinstance(f.default, (list, dict, set)):
            raise ValueError(f"mutable default {type(f.default)} for field {name} "
                             "is not allowed: use default_factory")
        if f.default is MISSING:
            if isinstance(default, Field) and name in cls.__dict__:
                delattr(cls, name)
        else:
            setattr(cls, name, f.default)
        all_fields[name] = f
    seen_default = False
    for f in all_fields.values():
        if not f.init:
            continue
        if f.default is not MISSING or f.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument '{f.name}' follows default argument")
    cls.__dataclass_fields__ = all_fields
    flist = list(all_fields.values())
    init_fields = [f for f in flist if f.init]
    qual = cls.__qualname__

    if init and "__init__" not in cls.__dict__:
        def __init__(self, *args, **kwargs):
            if len(args) > len(init_fields):
                req = sum(1 for f in init_fields
                          if f.default is MISSING and f.default_factory is MISSING)
                n = len(init_fields) + 1
                takes = str(n) if req + 1 == n else f"from {req + 1} to {n}"
                raise TypeError(f"{qual}.__init__() takes {takes} positional "
                                f"arguments but {len(args) + 1} were given")
            values = {}
            for f, v in zip(init_fields, args):
                values[f.name] = v
            for k, v in kwargs.items():
                if k in values:
                    raise TypeError(f"{qual}.__init__() got multiple values for argument '{k}'")
                if not any(f.name == k for f in init_fields):
                    raise TypeError(f"{qual}.__init__() got an unexpected keyword argument '{k}'")
                values[k] = v
            missing = [f.name for f in init_fields if f.name not in values
                       and f.default is MISSING and f.default_factory is MISSING]
            if missing:
                names = ", ".join(repr(n) for n in missing[:-1])
                names = (names + " and " if names else "") + repr(missing[-1])
                s = "s" if len(missing) > 1 else ""
                raise TypeError(f"{qual}.__init__() missing {len(missing)} required "
                                f"positional argument{s}: {names}")
            for f in flist:
                if f.name in values:
                    v = values[f.name]
                elif f.default_factory is not MISSING:
                    v = f.default_factory()
                elif f.default is not MISSING:
                    v = f.default
                else:
                    continue
                object.__setattr__(self, f.name, v)
            post = getattr(self, "__post_init__", None)
            if post is not None:
                post()
        cls.__init__ = __init__

    if repr_ and "__repr__" not in cls.__dict__:
        def __repr__(self):
            parts = ", ".join(f.name + "=" + repr(getattr(self, f.name)) for f in flist if f.repr)
            return type(self).__qualname__ + "(" + parts + ")"
        cls.__repr__ = __repr__

    if eq and "__eq__" not in cls.__dict__:
        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return _astuple_fields(self) == _astuple_fields(other)
            return NotImplemented
        cls.__eq__ = __eq__

    if order:
        def make(op):
            def cmp(self, other):
                if other.__class__ is self.__class__:
                    return op(_astuple_fields(self), _astuple_fields(other))
                return NotImplemented
            return cmp
        for name, op in (("__lt__", lambda a, b: a < b), ("__le__", lambda a, b: a <= b),
                         ("__gt__", lambda a, b: a > b), ("__ge__", lambda a, b: a >= b)):
            if name in cls.__dict__:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}. "
                                "Consider using functools.total_ordering")
            setattr(cls, name, make(op))

    if frozen:
        def __setattr__(self, name, value):
            if type(self) is cls or name in all_fields:
                raise FrozenInstanceError(f"cannot assign to field '{name}'")
            object.__setattr__(self, name, value)
        def __delattr__(self, name):
            if type(self) is cls or name in all_fields:
                raise FrozenInstanceError(f"cannot delete field '{name}'")
            object.__delattr__(self, name)
        cls.__setattr__ = __setattr__
        cls.__delattr__ = __delattr__

    if unsafe_hash or (eq and frozen):
        def __hash__(self):
            return hash(tuple(getattr(self, f.name) for f in flist
                              if (f.compare if f.hash is None else f.hash)))
        cls.__hash__ = __hash__
    elif eq and "__hash__" not in cls.__dict__:
        cls.__hash__ = None
    return cls

def dataclass(cls=None, /, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False,
              frozen=False):
    def wrap(c):
        return _process(c, init, repr, eq, order, unsafe_hash, frozen)
    if cls is None:
        return wrap
    return wrap(cls)
