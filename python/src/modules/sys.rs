//! `sys`: getrefcount, getsizeof, intern, get/setrecursionlimit, argv, version_info, float_info,
//! int_info, hash_info, maxunicode, exit,
//! _debugmallocstats, stdout/stderr (print's file=).
//!
//! # `sys.getsizeof` next to CPython 3.11
//! `getsizeof` reports the real flat size of pyheap's object (GC head included, as CPython's).
//! Equal to CPython for `None`, `float`, `tuple`s, empty and small `list`s, `__slots__`
//! instances, functions, `bytes` (33 + length, stored inline) and big ints; smaller for small
//! ints (24, CPython 28), `str` (33 + UTF-8 length, CPython 49 + ...), ordinary instances (48,
//! CPython 56: a learner still sees `__slots__` instances come out smaller), `dict`s of up to 8
//! entries, sets (80 empty, CPython 216) and classes. Larger, measured at this commit with
//! `python3 -S` against `pyheap run` (each a difference of layout, listed so that nobody
//! reads them as CPython's):
//!
//! | object                       | pyheap | CPython | why                                   |
//! |------------------------------|--------|---------|---------------------------------------|
//! | `dict` of 9..21 entries      | 800/1088 | 352/632 | the runtime's table grows in larger steps |
//! | generator                    | 240    | 176     | the suspended frame lives in the object |
//! | `range(5)`                   | 56     | 48      | user-object borrow flag               |
//! | list/tuple iterator          | 120    | 48      | one iterator type for every kind      |
//! | `slice`                      | 72     | 56      | borrow flag, GC head                  |
//! | `object()`                   | 32     | 16      | a GC-tracked instance                 |
//! | dict views                   | 48     | 40      | user-object borrow flag               |
//! | module                       | 80     | 72      | user-object borrow flag               |

use crate::objects::function::NativeFn;
use crate::vm::{Args, Ctx, ExcTy, PyResult, Raise, err};
use pyheap_runtime::Obj;

/// `sys`'s struct sequences (`version_info`, `float_info`, `int_info`, `hash_info`), each built
/// on first use: a class of its own per sequence whose instance reads like CPython's struct
/// sequence (named fields, indexing, slicing, comparing with tuples, CPython's repr). Unlike
/// CPython's they are not tuple subclasses (`isinstance(sys.version_info, tuple)` is False).
const PRELUDE: &str = r#"
class structseq:
    _fields = ()
    def __init__(self, *fields):
        self._t = fields
    def __getitem__(self, i):
        return self._t[i]
    def __len__(self):
        return len(self._t)
    def __iter__(self):
        return iter(self._t)
    def __hash__(self):
        return hash(self._t)
    def __eq__(self, other):
        return self._t == tuple(other)
    def __ne__(self, other):
        return self._t != tuple(other)
    def __lt__(self, other):
        return self._t < tuple(other)
    def __le__(self, other):
        return self._t <= tuple(other)
    def __gt__(self, other):
        return self._t > tuple(other)
    def __ge__(self, other):
        return self._t >= tuple(other)
    def __repr__(self):
        fields = ", ".join("%s=%r" % f for f in zip(self._fields, self._t))
        return "sys.%s(%s)" % (type(self).__name__, fields)
def make(name, fields, *values):
    fields = tuple(fields.split())
    ns = {"_fields": fields, "__module__": "sys", "n_fields": len(fields)}
    for i, f in enumerate(fields):
        ns[f] = property(lambda self, i=i: self._t[i])
    return type(name, (structseq,), ns)(*values)
"#;

/// The fields and values of `sys.NAME` for the struct sequences, as a call of the prelude's
/// `make`. `float_info` is Rust's `f64` (IEEE 754 binary64, as CPython's C double; `rounds`
/// 1 is round-to-nearest); `int_info` describes CPython's 30-bit digits (what `int.bit_length`
/// and the 4300-digit `str` limit follow); `hash_info` describes pyheap's hashes: numbers
/// reduce modulo the Mersenne prime 2**61 - 1 as CPython's do, and `str` hashes with std's
/// SipHash-1-3 (its 128-bit key fixed, so hashes repeat from run to run).
fn structseq_call(name: &str) -> Option<String> {
    Some(match name {
        "version_info" => {
            r#"make("version_info", "major minor micro releaselevel serial", 3, 11, 7, "final", 0)"#
                .to_string()
        }
        "float_info" => format!(
            "make('float_info', 'max max_exp max_10_exp min min_exp min_10_exp dig mant_dig \
             epsilon radix rounds', {:?}, {}, {}, {:?}, {}, {}, {}, {}, {:?}, {}, 1)",
            f64::MAX,
            f64::MAX_EXP,
            f64::MAX_10_EXP,
            f64::MIN_POSITIVE,
            f64::MIN_EXP,
            f64::MIN_10_EXP,
            f64::DIGITS,
            f64::MANTISSA_DIGITS,
            f64::EPSILON,
            f64::RADIX,
        ),
        "int_info" => "make('int_info', 'bits_per_digit sizeof_digit default_max_str_digits \
             str_digits_check_threshold', 30, 4, 4300, 640)"
            .to_string(),
        "hash_info" => "make('hash_info', 'width modulus inf nan imag algorithm hash_bits \
             seed_bits cutoff', 64, 2**61 - 1, 314159, 0, 1000003, 'siphash13', 64, 128, 0)"
            .to_string(),
        _ => return None,
    })
}

/// `sys.NAME` for a struct sequence, built on first use (`Ctx::module_attr_on_demand`):
/// compiling its class is most of what building `sys` would cost, and `sys` is built at every
/// start-up. `None` for other names.
pub fn structseq<'h>(ctx: &Ctx<'h>, name: &str) -> PyResult<'h, Option<Obj<'h>>> {
    let Some(call) = structseq_call(name) else {
        return Ok(None);
    };
    let scratch = ctx.new_module("sys", &[])?;
    ctx.run_prelude(&scratch, &format!("{PRELUDE}{name} = {call}\n"), "<sys>")?;
    ctx.getattr(&scratch, name).map(Some)
}

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module(
        "sys",
        &[
            ("getrefcount", getrefcount),
            ("getsizeof", getsizeof),
            ("intern", intern),
            ("getrecursionlimit", getrecursionlimit),
            ("setrecursionlimit", setrecursionlimit),
            ("exit", exit),
            ("_debugmallocstats", debugmallocstats),
            ("exc_info", exc_info),
            ("_getframe", getframe),
        ],
    )?;
    ctx.module_set(&m, "_getframe", &ctx.frame_native("_getframe", getframe)?)?;
    let argv: Vec<Obj<'h>> = ctx
        .argv
        .iter()
        .map(|a| ctx.str(a))
        .collect::<PyResult<'h, _>>()?;
    ctx.module_set(&m, "argv", &ctx.heap.list(&argv)?.into_obj())?;
    ctx.module_set(&m, "version", &ctx.str("3.11.7 (pyheap)")?)?;
    if std::env::var_os("PYHEAP_TEST_HOOKS").is_some() {
        // Test-only: a deliberate pyheap bug, to check that a panic exits 70.
        ctx.module_set(
            &m,
            "_pyheap_panic",
            &ctx.native("_pyheap_panic", test_panic)?,
        )?;
    }
    ctx.module_set(&m, "platform", &ctx.str(std::env::consts::OS)?)?;
    ctx.module_set(&m, "byteorder", &ctx.str("little")?)?;
    ctx.module_set(&m, "maxsize", &ctx.int(i64::MAX)?)?;
    ctx.module_set(&m, "maxunicode", &ctx.int(char::MAX as i64)?)?;
    ctx.module_set(&m, "modules", &ctx.modules.obj())?;
    for (name, text, write) in [
        ("stdout", "<stdout>", stdout_write as NativeFn),
        ("stderr", "<stderr>", stderr_write as NativeFn),
    ] {
        let f = ctx.new_module(name, &[])?;
        ctx.module_set(&f, "name", &ctx.str(text)?)?;
        ctx.module_set(&f, "encoding", &ctx.str("utf-8")?)?;
        ctx.module_set(&f, "write", &ctx.native("write", write)?)?;
        ctx.module_set(&f, "flush", &ctx.native("flush", stream_flush)?)?;
        ctx.module_set(&f, "isatty", &ctx.native("isatty", stream_isatty)?)?;
        ctx.module_set(&m, name, &f)?;
    }
    Ok(m)
}

/// `sys.stdout.write(s)` / `sys.stderr.write(s)`: the text, as print writes it (stdout buffered,
/// flushed before stderr); returns the number of characters, as `TextIOWrapper.write` does.
fn stdout_write<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let s = stream_text(ctx, &a)?;
    ctx.write_out(s);
    ctx.int(s.chars().count() as i64)
}

fn stderr_write<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let s = stream_text(ctx, &a)?;
    ctx.write_err(s);
    ctx.int(s.chars().count() as i64)
}

fn stream_text<'a, 'h>(ctx: &Ctx<'h>, a: &'a Args<'_, 'h>) -> PyResult<'h, &'a str> {
    a.check("write", 1, 1)?;
    match a.pos[0].str_value() {
        Ok(s) => Ok(s),
        Err(_) => err(
            ExcTy::TypeError,
            format!(
                "write() argument must be str, not {}",
                ctx.type_name(&a.pos[0])
            ),
        ),
    }
}

fn stream_flush<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("flush", 0, 0)?;
    ctx.flush();
    Ok(ctx.none())
}

fn stream_isatty<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("isatty", 0, 0)?;
    Ok(ctx.bool(false))
}

fn getrefcount<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("getrefcount", 1, 1)?;
    // The argument slice borrows the caller's stack slot: that reference is the one CPython
    // counts as "the argument" (the heap's count adds one for our own handle view).
    ctx.int(ctx.heap.getrefcount(&a.pos[0]) as i64 - 1)
}

fn getsizeof<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("getsizeof", 1, 2)?;
    ctx.tuple_call(&a, 0)?;
    ctx.int(ctx.heap.sizeof(&a.pos[0]) as i64)
}

fn intern<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("intern", 1, 1)?;
    Ok(ctx.intern(a.pos[0].str_value()?)?.into_obj())
}

/// `sys._getframe` reached other than by a call from Python code (`map(sys._getframe, ..)`):
/// the VM answers direct calls (`Ctx::getframe_call`); here no frame is at hand.
fn getframe<'h>(_: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    err(
        ExcTy::RuntimeError,
        "sys._getframe is only answered when Python code calls it directly",
    )
}

fn getrecursionlimit<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    ctx.int(ctx.recursion_limit.get() as i64)
}

fn setrecursionlimit<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("setrecursionlimit", 1, 1)?;
    let n = a.pos[0].as_int()?;
    if n < 1 {
        return err(
            ExcTy::ValueError,
            "recursion limit must be greater or equal than 1",
        );
    }
    ctx.recursion_limit.set(n.min(u32::MAX as i64) as u32);
    Ok(ctx.none())
}

fn exit<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let cls = ctx.exc(ExcTy::SystemExit).obj();
    let e = ctx.call(&cls, a.pos.to_vec(), vec![])?;
    Err(Raise::Obj(e))
}

fn debugmallocstats<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    let s = ctx.heap.allocator_stats();
    ctx.write_err(&s.to_text());
    Ok(ctx.none())
}

fn exc_info<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    let h = ctx.handled.borrow().clone();
    let t = match h {
        Some(e) => {
            let tb = e
                .as_instance()
                .ok()
                .and_then(|i| i.get_own("__traceback__"))
                .unwrap_or_else(|| ctx.none());
            vec![ctx.type_of(&e), e, tb]
        }
        None => vec![ctx.none(), ctx.none(), ctx.none()],
    };
    Ok(ctx.heap.tuple(&t)?.into_obj())
}

fn test_panic<'h>(_: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    panic!("sys._pyheap_panic() called (PYHEAP_TEST_HOOKS)")
}
