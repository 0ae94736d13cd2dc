//! `bytes`: an immutable byte string on the heap, a leaf like CPython's (no GC head, never
//! tracked, no weak references), hashed and compared by value.
//!
//! ```text
//!   [ObjHeader 16][borrow flag 8][len 8][b'a' b'b' ... 0]     repr: b'a\x00\'' (CPython's quotes
//!    └ the runtime's user object with a tail (UserType::TAIL)    and escapes)
//! ```
//!
//! The bytes are stored inline after a terminating NUL as CPython stores them, so
//! `sys.getsizeof(b"")` is CPython's 33 and each byte adds one.

use pyheap_runtime::{EqHash, Heap, Obj, RuntimeError, User, UserType, Visitor};

/// A `bytes` value: the bytes are the object's tail (the value followed by a NUL).
pub struct Bytes;

impl UserType for Bytes {
    const NAME: &'static str = "bytes";
    const EQ_HASH: EqHash = EqHash::Value;
    const GC: bool = false;
    const WEAKREFABLE: bool = false;
    const TAIL: bool = true;
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
    fn repr_tail(&self, _: &Heap, tail: &[u8]) -> Option<String> {
        Some(repr(value(tail)))
    }
    fn py_hash_tail(&self, _: &Heap, tail: &[u8]) -> i64 {
        hash(value(tail))
    }
    fn py_eq_tail(&self, tail: &[u8], _: &Self, other: &[u8], _: &Heap) -> bool {
        tail == other
    }
}

/// The value in a tail (without the NUL).
fn value(tail: &[u8]) -> &[u8] {
    &tail[..tail.len().saturating_sub(1)]
}

/// A new bytes object holding `data`.
pub fn new<'h>(heap: &'h Heap, data: &[u8]) -> Result<Obj<'h>, RuntimeError> {
    let mut tail = Vec::with_capacity(data.len() + 1);
    tail.extend_from_slice(data);
    tail.push(0);
    Ok(heap.new_user_with_tail(Bytes, &tail)?.into_obj())
}

/// The bytes of a bytes object.
pub fn data<'a>(b: &'a User<'_, Bytes>) -> &'a [u8] {
    value(b.tail())
}

/// `hash(b)`: FNV-1a folded to Python's non-negative range (any value-based hash will do:
/// CPython randomises bytes hashes per process, so programs never print them).
pub fn hash(data: &[u8]) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h >> 2) as i64
}

/// CPython's `repr(bytes)`: `'` quotes unless the value holds `'` and no `"`; `\t \n \r \\`
/// and the quote escaped; other bytes outside 0x20..0x7f as `\xNN`.
pub fn repr(data: &[u8]) -> String {
    let q = if data.contains(&b'\'') && !data.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut s = String::with_capacity(data.len() + 3);
    s.push('b');
    s.push(q as char);
    for &b in data {
        match b {
            b'\t' => s.push_str("\\t"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\\' => s.push_str("\\\\"),
            _ if b == q => {
                s.push('\\');
                s.push(b as char);
            }
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push(q as char);
    s
}
