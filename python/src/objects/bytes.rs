//! `bytes`: an immutable byte string on the heap, a leaf like CPython's (no GC head, never
//! tracked, no weak references), hashed and compared by value.
//!
//! ```text
//!   [ObjHeader 16][borrow flag][Box<[u8]> ──▶ the bytes]     repr: b'a\x00\'' (CPython's quotes
//!                                                              and escapes)
//! ```
//!
//! Size: `sys.getsizeof(b"")` is CPython's 33 plus the length; here the header, the boxed slice
//! and the bytes themselves (see `extra_size`), which comes out a few bytes larger for short
//! values (documented difference: the bytes live outside the object block).

use pyheap_runtime::{EqHash, UserType, Visitor};

/// A `bytes` value.
pub struct Bytes {
    pub data: Box<[u8]>,
}

impl UserType for Bytes {
    const NAME: &'static str = "bytes";
    const EQ_HASH: EqHash = EqHash::Value;
    const GC: bool = false;
    const WEAKREFABLE: bool = false;
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
    fn repr(&self) -> Option<String> {
        Some(repr(&self.data))
    }
    fn py_hash(&self) -> i64 {
        hash(&self.data)
    }
    fn py_eq(&self, other: &Self) -> bool {
        self.data == other.data
    }
    fn extra_size(&self) -> usize {
        self.data.len()
    }
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
