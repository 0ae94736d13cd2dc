//! Exceptions: the built-in hierarchy (heap classes with CPython's bases), turning a `Raise`
//! into an exception object, tracebacks, and printing them as CPython does.
//!
//! ```text
//!   exception instance ── args (tuple), __traceback__ ──▶ Traceback ─next─▶ Traceback ..
//!                      ── __cause__, __context__        (outermost frame first)
//! ```

use super::frame::Frame;
use super::{Ctx, PyResult, Raise};
use crate::objects::misc::Traceback;
use pyheap_runtime::{Member, Obj, RuntimeError};

macro_rules! exc_types {
    ($($name:ident : $base:ident),* $(,)?) => {
        /// The built-in exception classes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(clippy::enum_variant_names)]
        pub enum ExcTy { $($name),* }
        impl ExcTy {
            pub const ALL: &'static [(ExcTy, &'static str, ExcTy)] =
                &[$((ExcTy::$name, stringify!($name), ExcTy::$base)),*];
        }
    };
}

exc_types! {
    BaseException: BaseException,
    SystemExit: BaseException,
    KeyboardInterrupt: BaseException,
    GeneratorExit: BaseException,
    BaseExceptionGroup: BaseException,
    Exception: BaseException,
    // Its second base, `Exception`, is added where the classes are made.
    ExceptionGroup: BaseExceptionGroup,
    StopIteration: Exception,
    StopAsyncIteration: Exception,
    ArithmeticError: Exception,
    ZeroDivisionError: ArithmeticError,
    OverflowError: ArithmeticError,
    FloatingPointError: ArithmeticError,
    AssertionError: Exception,
    AttributeError: Exception,
    BufferError: Exception,
    EOFError: Exception,
    ImportError: Exception,
    ModuleNotFoundError: ImportError,
    LookupError: Exception,
    IndexError: LookupError,
    KeyError: LookupError,
    MemoryError: Exception,
    NameError: Exception,
    UnboundLocalError: NameError,
    OSError: Exception,
    BlockingIOError: OSError,
    ChildProcessError: OSError,
    ConnectionError: OSError,
    BrokenPipeError: ConnectionError,
    ConnectionAbortedError: ConnectionError,
    ConnectionRefusedError: ConnectionError,
    ConnectionResetError: ConnectionError,
    FileExistsError: OSError,
    FileNotFoundError: OSError,
    InterruptedError: OSError,
    IsADirectoryError: OSError,
    NotADirectoryError: OSError,
    PermissionError: OSError,
    ProcessLookupError: OSError,
    TimeoutError: OSError,
    ReferenceError: Exception,
    RuntimeError: Exception,
    RecursionError: RuntimeError,
    NotImplementedError: RuntimeError,
    SyntaxError: Exception,
    IndentationError: SyntaxError,
    TabError: IndentationError,
    SystemError: Exception,
    TypeError: Exception,
    ValueError: Exception,
    UnicodeError: ValueError,
    UnicodeDecodeError: UnicodeError,
    UnicodeEncodeError: UnicodeError,
    UnicodeTranslateError: UnicodeError,
    Warning: Exception,
    UserWarning: Warning,
    DeprecationWarning: Warning,
    PendingDeprecationWarning: Warning,
    SyntaxWarning: Warning,
    RuntimeWarning: Warning,
    FutureWarning: Warning,
    ImportWarning: Warning,
    UnicodeWarning: Warning,
    BytesWarning: Warning,
    ResourceWarning: Warning,
    EncodingWarning: Warning,
}

/// The file name of the exceptions' Python half (its frames stay out of tracebacks).
const EXCEPTIONS_FILE: &str = "<exceptions>";

/// The Python half of the built-in exceptions: `BaseException.__init__` (stores `args`),
/// `SystemExit.code`, `StopIteration.value`, `with_traceback`, `add_note`, the chaining
/// attributes' defaults (`__cause__`, `__context__`, `__suppress_context__`, `__traceback__`)
/// and those of the fields natively raised errors may lack (`NameError.name`, ..).
const PRELUDE: &str = r#"
def __init__(self, *args):
    self.args = args
BaseException.__init__ = __init__
def __init__(self, *args):
    self.args = args
    self.code = None if not args else args[0] if len(args) == 1 else args
SystemExit.__init__ = __init__
StopIteration.value = property(lambda self: self.args[0] if self.args else None)
def with_traceback(self, tb):
    self.__traceback__ = tb
    return self
BaseException.with_traceback = with_traceback
BaseException.__cause__ = None
BaseException.__context__ = None
BaseException.__suppress_context__ = False
BaseException.__traceback__ = None
def add_note(self, note):
    if not isinstance(note, str):
        raise TypeError(f"note must be a str, not '{type(note).__name__}'")
    try:
        notes = self.__notes__
    except AttributeError:
        notes = self.__notes__ = []
    if not isinstance(notes, list):
        raise TypeError("Cannot add note: __notes__ is not a list")
    notes.append(note)
BaseException.add_note = add_note
NameError.name = None
AttributeError.name = None
AttributeError.obj = None
ImportError.name = ImportError.path = ImportError.msg = None
OSError.errno = OSError.strerror = OSError.filename = OSError.filename2 = None
del add_note, with_traceback
"#;

/// The keyword fields of `NameError`, `AttributeError` and `ImportError`, `OSError` (errno,
/// strerror, filename and the errno-to-subclass mapping), the Unicode
/// errors' fields and messages, and `BaseExceptionGroup`/`ExceptionGroup` with `split`,
/// `subgroup` and `derive`, as CPython 3.11 defines them.
const PRELUDE_MORE: &str = r#"
def __init__(self, *args, name=None):
    self.args = args
    self.name = name
NameError.__init__ = __init__
def __init__(self, *args, name=None, obj=None):
    self.args = args
    self.name = name
    self.obj = obj
AttributeError.__init__ = __init__
def __init__(self, *args, name=None, path=None):
    self.args = args
    self.name = name
    self.path = path
    self.msg = args[0] if len(args) == 1 else None
ImportError.__init__ = __init__
def _errno_classes():
    # Linux errno values of the OSError subclasses (PEP 3151).
    table = {BlockingIOError: (11, 114, 115), ChildProcessError: (10,),
             BrokenPipeError: (32, 108), ConnectionAbortedError: (103,),
             ConnectionRefusedError: (111,), ConnectionResetError: (104,),
             FileExistsError: (17,), FileNotFoundError: (2,), InterruptedError: (4,),
             IsADirectoryError: (21,), NotADirectoryError: (20,), PermissionError: (1, 13),
             ProcessLookupError: (3,), TimeoutError: (110,)}
    return {n: cls for cls, ns in table.items() for n in ns}
_errno_map = _errno_classes()
def __new__(cls, *args, **kw):
    if cls is OSError and 2 <= len(args) <= 5 and type(args[0]) is int:
        cls = _errno_map.get(args[0], cls)
    return object.__new__(cls)
OSError.__new__ = __new__
def __init__(self, *args):
    self.errno = self.strerror = self.filename = self.filename2 = None
    if 2 <= len(args) <= 5:
        self.errno, self.strerror = args[0], args[1]
        if len(args) >= 3:
            self.filename = args[2]
        if len(args) == 5:
            self.filename2 = args[4]
        args = args[:2]
    self.args = args
OSError.__init__ = __init__
def __str__(self):
    if self.filename is not None:
        if self.filename2 is not None:
            return f"[Errno {self.errno}] {self.strerror}: {self.filename!r} -> {self.filename2!r}"
        return f"[Errno {self.errno}] {self.strerror}: {self.filename!r}"
    if self.errno is not None and self.strerror is not None:
        return f"[Errno {self.errno}] {self.strerror}"
    a = self.args
    return '' if not a else str(a[0]) if len(a) == 1 else str(a)
OSError.__str__ = __str__
def _char(c):
    o = ord(c)
    return f"\\x{o:02x}" if o <= 0xff else f"\\u{o:04x}" if o <= 0xffff else f"\\U{o:08x}"
def _positions(self):
    if self.end == self.start + 1:
        return f"in position {self.start}"
    return f"in position {self.start}-{self.end - 1}"
def __init__(self, encoding, object, start, end, reason):
    self.args = (encoding, object, start, end, reason)
    self.encoding, self.object, self.start, self.end, self.reason = self.args
UnicodeDecodeError.__init__ = UnicodeEncodeError.__init__ = __init__
def __str__(self):
    if self.end == self.start + 1 and self.start < len(self.object):
        return (f"'{self.encoding}' codec can't decode byte 0x{self.object[self.start]:02x} "
                f"in position {self.start}: {self.reason}")
    return f"'{self.encoding}' codec can't decode bytes {_positions(self)}: {self.reason}"
UnicodeDecodeError.__str__ = __str__
def __str__(self):
    if self.end == self.start + 1 and self.start < len(self.object):
        return (f"'{self.encoding}' codec can't encode character '{_char(self.object[self.start])}' "
                f"in position {self.start}: {self.reason}")
    return f"'{self.encoding}' codec can't encode characters {_positions(self)}: {self.reason}"
UnicodeEncodeError.__str__ = __str__
def __init__(self, object, start, end, reason):
    self.args = (object, start, end, reason)
    self.object, self.start, self.end, self.reason = self.args
    self.encoding = None
UnicodeTranslateError.__init__ = __init__
def __str__(self):
    if self.end == self.start + 1 and self.start < len(self.object):
        return (f"can't translate character '{_char(self.object[self.start])}' "
                f"in position {self.start}: {self.reason}")
    return f"can't translate characters {_positions(self)}: {self.reason}"
UnicodeTranslateError.__str__ = __str__
def __new__(cls, message, exceptions):
    if not isinstance(message, str):
        raise TypeError(f"BaseExceptionGroup.__new__() argument 1 must be str, not {type(message).__name__}")
    if isinstance(exceptions, (dict, set, frozenset)) or not hasattr(type(exceptions), '__getitem__'):
        raise TypeError("second argument (exceptions) must be a sequence")
    excs = tuple(exceptions)
    if not excs:
        raise ValueError("second argument (exceptions) must be a non-empty sequence")
    for i, e in enumerate(excs):
        if not isinstance(e, BaseException):
            raise ValueError(f"Item {i} of second argument (exceptions) is not an exception")
    plain = all(isinstance(e, Exception) for e in excs)
    if cls is BaseExceptionGroup:
        if plain:
            cls = ExceptionGroup
    elif issubclass(cls, Exception) and not plain:
        if cls is ExceptionGroup:
            raise TypeError("Cannot nest BaseExceptions in an ExceptionGroup")
        raise TypeError(f"Cannot nest BaseExceptions in '{cls.__name__}'")
    self = object.__new__(cls)
    self.message = message
    self.exceptions = excs
    return self
BaseExceptionGroup.__new__ = __new__
def __init__(self, message, exceptions):
    self.args = (message, exceptions)
BaseExceptionGroup.__init__ = __init__
def __str__(self):
    n = len(self.exceptions)
    return f"{self.message} ({n} sub-exception{'s' if n > 1 else ''})"
BaseExceptionGroup.__str__ = __str__
def derive(self, excs):
    return BaseExceptionGroup(self.message, excs)
BaseExceptionGroup.derive = derive
def _matcher(cond):
    if isinstance(cond, type) and issubclass(cond, BaseException):
        return lambda e: isinstance(e, cond)
    if isinstance(cond, tuple) and all(isinstance(c, type) and issubclass(c, BaseException) for c in cond):
        return lambda e: isinstance(e, cond)
    if callable(cond) and not isinstance(cond, type):
        return cond
    raise TypeError("expected a function, exception type or tuple of exception types")
def _copy_fields(eg, new):
    new.__traceback__ = eg.__traceback__
    new.__cause__ = eg.__cause__
    new.__context__ = eg.__context__
    if '__notes__' in vars(eg):
        new.__notes__ = eg.__notes__
    return new
def _split(eg, match):
    if match(eg):
        return eg, None
    yes, no = [], []
    for e in eg.exceptions:
        if isinstance(e, BaseExceptionGroup):
            m, r = _split(e, match)
            if m is not None:
                yes.append(m)
            if r is not None:
                no.append(r)
        elif match(e):
            yes.append(e)
        else:
            no.append(e)
    m = _copy_fields(eg, eg.derive(yes)) if yes else None
    r = _copy_fields(eg, eg.derive(no)) if no else None
    return m, r
def split(self, condition):
    return _split(self, _matcher(condition))
BaseExceptionGroup.split = split
def subgroup(self, condition):
    return _split(self, _matcher(condition))[0]
BaseExceptionGroup.subgroup = subgroup
del __new__, __init__, __str__, derive, split, subgroup
"#;

impl<'h> Ctx<'h> {
    /// Define the exceptions' Python-level methods and attributes (at start-up).
    pub fn install_exception_methods(&self) -> PyResult<'h, ()> {
        self.run_in_dict(&self.builtins, PRELUDE, EXCEPTIONS_FILE)
    }

    /// Define the rest of the exceptions' Python half ([`PRELUDE_MORE`]) the first time an
    /// exception class is called: compiling it costs as much as the rest of start-up.
    pub fn install_exception_extras(&self) -> PyResult<'h, ()> {
        if self.exception_extras.replace(true) {
            return Ok(());
        }
        // CPython has these classes from start-up: defining them now must not move the
        // program's `gc.get_count()` or start a collection.
        self.heap.gc().without_counting(|| {
            // The helpers live in a namespace of their own, not in builtins.
            let ns = self.heap.dict()?;
            ns.set(&self.heap.intern("__builtins__")?, &self.builtins)?;
            self.run_in_dict(&ns, PRELUDE_MORE, EXCEPTIONS_FILE)
        })
    }

    /// The key a runtime KeyError names by its repr (`'k'`, `"it's"`, `42`), as the object
    /// CPython's KeyError carries; other text (a message) stays a str.
    fn key_from_repr(&self, r: &str) -> PyResult<'h> {
        if let Ok(i) = r.parse::<i64>() {
            return self.int(i);
        }
        for q in ['\'', '"'] {
            if let Some(inner) = r.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
                let mut out = String::with_capacity(inner.len());
                let mut chars = inner.chars();
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        match chars.next() {
                            Some(e @ ('\\' | '\'' | '"')) => out.push(e),
                            // Other escapes: keep the text as the repr shows it.
                            Some(e) => {
                                out.push('\\');
                                out.push(e);
                            }
                            None => out.push('\\'),
                        }
                    } else {
                        out.push(c);
                    }
                }
                return self.str(&out);
            }
        }
        self.str(r)
    }

    /// Is `init` BaseException's own `__init__` (which only stores `args`)?
    pub fn is_base_exception_init(&self, init: &Obj<'h>) -> bool {
        self.exc(ExcTy::BaseException)
            .get_own("__init__")
            .is_some_and(|b| b.is(init))
    }

    /// The exception object for `r` (creating it for `New`/`Rt`).
    pub fn normalize(&self, r: Raise<'h>) -> Obj<'h> {
        let (ty, msg) = match r {
            Raise::Obj(o) => return o,
            Raise::New(t, m) => (t, m),
            // A Python exception that crossed the runtime (raised by `__eq__`/`__hash__` of a
            // dict key, say) comes back as itself.
            Raise::Rt(RuntimeError::Exception(p)) if p.get(self.heap).is_ok() => {
                return p.get(self.heap).expect("checked");
            }
            Raise::Rt(e) => rt_to_exc(e),
        };
        self.make_exc(ty, &msg)
    }

    /// A built-in exception with one message argument (no argument when `msg` is empty).
    pub fn make_exc(&self, ty: ExcTy, msg: &str) -> Obj<'h> {
        let cls = self.exc(ty).obj();
        let made = (|| -> PyResult<'h> {
            let inst = cls.as_class()?.instantiate()?;
            let args = if msg.is_empty() && ty != ExcTy::KeyError {
                self.heap.tuple(&[])?
            } else if ty == ExcTy::KeyError {
                // The runtime names a missing key by its repr: the exception carries the key.
                self.heap.tuple(&[self.key_from_repr(msg)?])?
            } else {
                self.heap.tuple(&[self.str(msg)?])?
            };
            inst.setattr("args", &args)?;
            // The fields CPython's raise sites fill in, recovered from their messages.
            let quoted = |prefix: &str, suffix: &str| {
                msg.strip_prefix(prefix)?
                    .strip_suffix(suffix)
                    .map(str::to_string)
            };
            match ty {
                ExcTy::NameError => {
                    if let Some(n) = quoted("name '", "' is not defined") {
                        inst.setattr("name", &self.str(&n)?)?;
                    }
                }
                ExcTy::AttributeError => {
                    if let Some((_, rest)) = msg.split_once(" has no attribute '")
                        && let Some(n) = rest.strip_suffix('\'')
                    {
                        inst.setattr("name", &self.str(n)?)?;
                    }
                }
                ExcTy::ModuleNotFoundError => {
                    if let Some(n) = quoted("No module named '", "'") {
                        inst.setattr("name", &self.str(&n)?)?;
                        inst.setattr("msg", &self.str(msg)?)?;
                    }
                }
                _ => {}
            }
            Ok(inst.into_obj())
        })();
        match made {
            Ok(o) => o,
            // Out of memory while making the exception: hand out the class itself.
            Err(_) => cls,
        }
    }

    /// A KeyError carrying the key object itself.
    pub fn key_error(&self, key: &Obj<'h>) -> Raise<'h> {
        let cls = self.exc(ExcTy::KeyError).obj();
        match self.call(&cls, vec![key.clone()], vec![]) {
            Ok(o) => Raise::Obj(o),
            Err(e) => e,
        }
    }

    /// Is `exc` an instance of the built-in exception `ty`?
    pub fn exc_matches(&self, exc: &Obj<'h>, ty: ExcTy) -> bool {
        let cls = self.type_of(exc);
        self.is_subclass(&cls, &self.exc(ty).obj())
    }
    /// Does the raise match `ty` (without creating the object when possible)?
    pub fn raise_matches(&self, r: &Raise<'h>, ty: ExcTy) -> bool {
        match r {
            Raise::Obj(o) => self.exc_matches(o, ty),
            Raise::New(t, _) => self.exc_ty_is(*t, ty),
            Raise::Rt(RuntimeError::Exception(p)) if p.get(self.heap).is_ok() => {
                self.exc_matches(&p.get(self.heap).expect("checked"), ty)
            }
            Raise::Rt(e) => self.exc_ty_is(rt_to_exc(e.clone()).0, ty),
        }
    }
    fn exc_ty_is(&self, mut t: ExcTy, want: ExcTy) -> bool {
        if t == ExcTy::ExceptionGroup && want == ExcTy::Exception {
            return true; // its second base
        }
        loop {
            if t == want {
                return true;
            }
            let base = ExcTy::ALL[t as usize].2;
            if base == t {
                return false;
            }
            t = base;
        }
    }

    /// Add a traceback entry for the frame `f` at its current instruction (outermost ends up
    /// first): `PyTraceBack_Here`, with the frame's frame object made if needed.
    pub fn add_traceback(&self, exc: &Obj<'h>, frames: &mut [Frame<'h>]) {
        let Ok(inst) = exc.as_instance() else { return };
        let Some(top) = frames.len().checked_sub(1) else {
            return;
        };
        // The built-in exceptions' Python half stands in for CPython's C code: no entry.
        if &*frames[top].code.filename == EXCEPTIONS_FILE {
            return;
        }
        let Ok(frame) = self.linked_frame_object(frames, top) else {
            return;
        };
        let (lasti, pos) = frames[top].last_pos();
        let next = inst
            .get_own("__traceback__")
            .filter(|t| !t.is_none())
            .map(Member::from_obj);
        if let Ok(tb) = self.heap.new_user(Traceback {
            next,
            frame: Member::from_obj(frame),
            lineno: pos.line,
            lasti,
            pos,
        }) {
            let _ = inst.setattr("__traceback__", &tb);
        }
    }

    /// `str(exc)` as printed after the type name.
    pub fn exc_message(&self, exc: &Obj<'h>) -> String {
        match self.str_of(exc) {
            Ok(s) => s,
            Err(_) => "<exception str() failed>".into(),
        }
    }

    /// The last line of a traceback: `ValueError: msg`.
    pub fn exc_line(&self, exc: &Obj<'h>) -> String {
        let cls = self.type_of(exc);
        let name = self.class_name(&cls);
        let module = cls
            .as_class()
            .ok()
            .and_then(|c| c.get_own("__module__"))
            .and_then(|m| m.str_value().ok().map(str::to_string))
            .unwrap_or_default();
        let qual = if module.is_empty() || module == "builtins" || module == "__main__" {
            name
        } else {
            format!("{module}.{name}")
        };
        let msg = match self.syntax_error_str(exc, false) {
            Ok(Some(m)) => m,
            _ => self.exc_message(exc),
        };
        if msg.is_empty() {
            qual
        } else {
            format!("{qual}: {msg}")
        }
    }

    /// CPython's "Exception ignored in: X" report for errors in `__del__`, callbacks (`head`:
    /// the first line, `Exception ignored in: X`).
    pub fn report_unraisable_as(&self, r: Raise<'h>, head: &str) {
        let exc = self.normalize(r);
        let mut out = format!("{head}\n");
        self.format_traceback(&exc, &mut out);
        out.push_str(&self.exc_line(&exc));
        out.push('\n');
        self.write_err(&out);
    }

    /// [`report_unraisable_as`](Self::report_unraisable_as) about `what` (a repr).
    pub fn report_unraisable(&self, r: Raise<'h>, what: &str) {
        self.report_unraisable_as(r, &format!("Exception ignored in: {what}"));
    }
}

/// The error's own text without its `Kind: ` prefix.
fn e_text(e: &RuntimeError) -> String {
    let s = e.to_string();
    match s.split_once(": ") {
        Some((_, m)) => m.to_string(),
        None => s,
    }
}

/// The Python exception (and CPython's message) for a runtime API error.
pub fn rt_to_exc(e: RuntimeError) -> (ExcTy, String) {
    let e2 = e.clone();
    match e {
        RuntimeError::WrongType { expected, got } => (
            ExcTy::TypeError,
            format!("expected {expected}, got '{got}'"),
        ),
        RuntimeError::MissingAttribute { type_name, name } => (
            ExcTy::AttributeError,
            format!("'{type_name}' object has no attribute '{name}'"),
        ),
        RuntimeError::Unhashable(t) => (ExcTy::TypeError, format!("unhashable type: '{t}'")),
        RuntimeError::KeyError(k) => (ExcTy::KeyError, k),
        RuntimeError::IndexOutOfRange { .. } => {
            (ExcTy::IndexError, "list index out of range".into())
        }
        RuntimeError::Overflow(m) => (ExcTy::OverflowError, m),
        RuntimeError::ZeroDivision(m) => (ExcTy::ZeroDivisionError, m.into()),
        RuntimeError::ValueError(m) => (ExcTy::ValueError, m),
        RuntimeError::Recursion(_) => (ExcTy::RecursionError, e_text(&e2)),
        RuntimeError::DictChangedSize => (
            ExcTy::RuntimeError,
            "dictionary changed size during iteration".into(),
        ),
        RuntimeError::SetChangedSize => (
            ExcTy::RuntimeError,
            "Set changed size during iteration".into(),
        ),
        RuntimeError::OutOfMemory { .. } => (ExcTy::MemoryError, String::new()),
        RuntimeError::Borrowed { type_name } => (
            ExcTy::RuntimeError,
            format!("the {type_name} object is in use"),
        ),
        RuntimeError::ForeignObject => (ExcTy::SystemError, "object of another heap".into()),
        RuntimeError::NotWeakrefable(t) => (
            ExcTy::TypeError,
            format!("cannot create weak reference to '{t}' object"),
        ),
        RuntimeError::DeadReferent => (
            ExcTy::ReferenceError,
            "weakly-referenced object no longer exists".into(),
        ),
        RuntimeError::TypeError(m) => (ExcTy::TypeError, m),
        RuntimeError::NoSlot { type_name, name } => (
            ExcTy::AttributeError,
            format!("'{type_name}' object has no attribute '{name}'"),
        ),
        other => (ExcTy::RuntimeError, e_text(&other)),
    }
}
