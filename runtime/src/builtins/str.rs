//! str: immutable UTF-8 stored inline, cached hash, interning.
//!
//! ```text
//!   [ObjHeader 16][hash: i64][len: usize][state: u8][bytes: len]   = 33 + len bytes
//!                  −1 = not computed yet           0 = normal, 1 = interned (immortal)
//! ```
//! CPython 3.11: `''` is 49 bytes, `'abc'` 52. Interned strings are immortal, as in CPython 3.12
//! (`heap.intern(s)` twice returns the same object).
//!
//! # Invariants the unsafe code relies on
//! - The `len` bytes after the header are valid UTF-8 and never change after creation, so
//!   `as_str` may hand out a `&str` for as long as the object lives.
//! - `hash` is −1 or CPython's hash of those bytes; an interned (`state` 1) str is immortal and
//!   owned by the heap's table until teardown.

use crate::error::Result;
use crate::handle::typed_handle;
use crate::heap::{Heap, HeapInner};
use crate::object::{HEADER_SIZE, RawObj, payload, payload_ptr, type_of};
use crate::types::{Kind, TypeObject};
use crate::{Obj, RuntimeError};
use std::cell::Cell;

#[repr(C)]
struct StrBody {
    hash: Cell<i64>,
    len: usize,
    state: Cell<u8>,
}
const DATA: usize = 17; // offset of the bytes in the payload
const BASIC: usize = HEADER_SIZE + DATA;

pub(crate) fn str_type(heap: *const HeapInner) -> TypeObject {
    super::builtin_type("str", Kind::Str, heap)
        .layout(BASIC, 1)
        .slots(dealloc, sizeof)
        .build()
}

/// The `sizeof` slot of str.
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live str.
unsafe fn sizeof(op: RawObj) -> usize {
    // SAFETY: live str.
    BASIC + unsafe { payload::<StrBody>(op) }.len
}

/// The `dealloc` slot of str: free the block.
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `op` is a dead str of this type's heap.
unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead str of this type's heap.
    unsafe { (*type_of(op).heap).free_object(op) }
}

/// # Safety
/// `op` is an intact str.
pub(crate) unsafe fn len(op: RawObj) -> usize {
    // SAFETY: `op` is an intact str (contract), so its payload is a StrBody.
    unsafe { payload::<StrBody>(op) }.len
}

/// # Safety
/// `op` is a live str; the result lives as long as it.
pub(crate) unsafe fn as_str<'a>(op: RawObj) -> &'a str {
    // SAFETY: the bytes were copied from a &str at creation and never change.
    unsafe {
        let len = payload::<StrBody>(op).len;
        let p = payload_ptr(op).add(DATA);
        std::str::from_utf8_unchecked(std::slice::from_raw_parts(p, len))
    }
}

/// Hash of string contents: SipHash-1-3 with keys (0, 0) — the value std's `DefaultHasher::new()`
/// gives after one `write` of the bytes (a unit test checks that), computed in one pass over the
/// words (`DefaultHasher` buffers each write for later ones: ~40 % more instructions on
/// short strs). CPython 3.11 also hashes strs with SipHash-1-3. Never −1.
pub fn hash_str(s: &str) -> i64 {
    let v = siphash13(s.as_bytes()) as i64;
    if v == -1 { -2 } else { v }
}

/// SipHash-1-3 of `m` with the keys (0, 0): one compression round per 8-byte word, the last
/// word holding the tail bytes and the length's low byte, then three finalisation rounds.
fn siphash13(m: &[u8]) -> u64 {
    #[inline(always)]
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }
    // "somepseudorandomlygeneratedbytes" xor the keys, which are zero.
    let mut v = [
        0x736f_6d65_7073_6575,
        0x646f_7261_6e64_6f6d,
        0x6c79_6765_6e65_7261,
        0x7465_6462_7974_6573,
    ];
    let mut words = m.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        v[3] ^= w;
        round(&mut v);
        v[0] ^= w;
    }
    let mut last = (m.len() as u64) << 56;
    for (i, &b) in words.remainder().iter().enumerate() {
        last |= u64::from(b) << (8 * i);
    }
    v[3] ^= last;
    round(&mut v);
    v[0] ^= last;
    v[2] ^= 0xff;
    round(&mut v);
    round(&mut v);
    round(&mut v);
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

/// Python's `repr(s)` (CPython 3.11's `unicode_repr`): single quotes unless the text holds a
/// `'` and no `"`; `\\`, `\n`, `\r`, `\t` and the quote escaped; other non-printable
/// characters as `\xHH`, `\uHHHH` or `\UHHHHHHHH`; printable non-ASCII text kept.
pub fn repr_str(s: &str) -> String {
    use std::fmt::Write;
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if super::printable::is_printable(c) => out.push(c),
            c if (c as u32) < 0x100 => write!(out, "\\x{:02x}", c as u32).unwrap(),
            c if (c as u32) < 0x10000 => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => write!(out, "\\U{:08x}", c as u32).unwrap(),
        }
    }
    out.push(quote);
    out
}

/// # Safety
/// `op` is a live str.
pub(crate) unsafe fn hash(op: RawObj) -> i64 {
    // SAFETY: `op` is a live str (contract), so its payload is a StrBody.
    let b = unsafe { payload::<StrBody>(op) };
    let h = b.hash.get();
    if h != -1 {
        return h;
    }
    // SAFETY: `op` is a live str (contract): its bytes are valid UTF-8 for its lifetime.
    let h = hash_str(unsafe { as_str(op) });
    b.hash.set(h);
    h
}

/// A new str of `len` bytes whose data is not written yet: the object and where its `len`
/// data bytes start.
///
/// # Safety
/// The caller writes all `len` bytes, as UTF-8, before the object is used as a str.
#[inline]
unsafe fn new_blank(heap: &HeapInner, len: usize) -> Result<(RawObj, *mut u8)> {
    let op = heap.new_object(&heap.types.str, BASIC + len)?;
    // SAFETY: fresh object of BASIC + len bytes: its payload starts with the StrBody, the data
    // bytes follow at DATA.
    unsafe {
        payload_ptr(op).cast::<StrBody>().write(StrBody {
            hash: Cell::new(-1),
            len,
            state: Cell::new(0),
        });
        Ok((op, payload_ptr(op).add(DATA)))
    }
}

/// A new str holding `s`.
fn new_str(heap: &HeapInner, s: &str) -> Result<RawObj> {
    // SAFETY: the `s.len()` bytes are written from a &str.
    unsafe {
        let (op, at) = new_blank(heap, s.len())?;
        std::ptr::copy_nonoverlapping(s.as_ptr(), at, s.len());
        Ok(op)
    }
}

/// A new str holding the concatenation of `parts`, written straight into the object.
fn new_str_from(heap: &HeapInner, parts: &[&str]) -> Result<RawObj> {
    let len = parts.iter().map(|p| p.len()).sum();
    // SAFETY: the parts are valid UTF-8 and fill exactly `len` bytes.
    unsafe {
        let (op, mut at) = new_blank(heap, len)?;
        for p in parts {
            std::ptr::copy_nonoverlapping(p.as_ptr(), at, p.len());
            at = at.add(p.len());
        }
        Ok(op)
    }
}

typed_handle!(
    /// A str handle.
    Str,
    Kind::Str,
    "str",
    as_str_obj
);

impl<'h> Str<'h> {
    /// `len(s)`: the number of code points.
    pub fn char_len(&self) -> usize {
        let s = self.as_str();
        if s.is_ascii() {
            s.len()
        } else {
            s.chars().count()
        }
    }
    /// `a + b`: one new str, the bytes copied once.
    pub fn concat(&self, other: &Str<'_>) -> Result<Str<'h>> {
        let op = new_str_from(self.heap_inner(), &[self.as_str(), other.as_str()])?;
        // SAFETY: a fresh object of this heap.
        Ok(Str(unsafe { Obj::from_owned(op) }))
    }
    /// `s[start:stop:step]` by code points (Python's slice semantics, negative steps included).
    pub fn slice(
        &self,
        start: Option<i64>,
        stop: Option<i64>,
        step: Option<i64>,
    ) -> Result<Str<'h>> {
        let s = self.as_str();
        let ascii = s.is_ascii();
        let n = if ascii { s.len() } else { s.chars().count() };
        let (first, step, count) = super::slice::indices(n, start, stop, step)?;
        let heap = self.heap_inner();
        let op = if count == 0 {
            new_str_from(heap, &[])?
        } else if step == 1 {
            // A contiguous run: one copy of its bytes.
            let (a, b) = (first as usize, first as usize + count);
            let byte = |i: usize| match s.char_indices().nth(i) {
                _ if ascii => i,
                Some((offset, _)) => offset,
                None => s.len(),
            };
            new_str_from(heap, &[&s[byte(a)..byte(b)]])?
        } else {
            let mut out = String::with_capacity(count);
            if ascii {
                let bytes = s.as_bytes();
                out.extend((0..count).map(|k| bytes[(first + k as i64 * step) as usize] as char));
            } else {
                let chars: Vec<char> = s.chars().collect();
                out.extend((0..count).map(|k| chars[(first + k as i64 * step) as usize]));
            }
            new_str(heap, &out)?
        };
        // SAFETY: a fresh object of this heap.
        Ok(Str(unsafe { Obj::from_owned(op) }))
    }
    /// The contents.
    pub fn as_str(&self) -> &str {
        // SAFETY: the handle keeps the str alive.
        unsafe { as_str(self.as_raw()) }
    }
    /// Is it interned?
    pub fn is_interned(&self) -> bool {
        // SAFETY: live str.
        unsafe { payload::<StrBody>(self.as_raw()) }.state.get() == 1
    }
}

impl Heap {
    /// A new str.
    pub fn str(&self, s: &str) -> Result<Str<'_>> {
        // SAFETY: new reference to a fresh object of this heap.
        Ok(Str(unsafe { Obj::from_owned(new_str(self.inner(), s)?) }))
    }
    /// A new str holding `parts` one after another, each copied once straight into the new
    /// object (no intermediate `String`): f-strings, `+`, `join`.
    pub fn str_concat(&self, parts: &[&str]) -> Result<Str<'_>> {
        // SAFETY: new reference to a fresh object of this heap.
        Ok(Str(unsafe {
            Obj::from_owned(new_str_from(self.inner(), parts)?)
        }))
    }
    /// A new str of `len` bytes that `fill` writes in place (the buffer starts zeroed). The
    /// bytes must be UTF-8: they are checked once written, and anything else is an error
    /// (`RuntimeError::WrongType` naming "UTF-8 text"), the object freed.
    pub fn str_with(&self, len: usize, fill: impl FnOnce(&mut [u8])) -> Result<Str<'_>> {
        // SAFETY: the `len` data bytes are zeroed (UTF-8) before the handle exists, then handed
        // to `fill`; the handle exists before `fill` runs, so a panic there frees the object.
        let (str, bytes) = unsafe {
            let (op, at) = new_blank(self.inner(), len)?;
            at.write_bytes(0, len);
            let str = Str(Obj::from_owned(op));
            let bytes = std::slice::from_raw_parts_mut(at, len);
            fill(bytes);
            (str, &*bytes)
        };
        // Nothing reads the bytes as a &str before this check (ASCII first: the usual case, and
        // a cheaper test than full validation).
        if !bytes.is_ascii() && std::str::from_utf8(bytes).is_err() {
            return Err(RuntimeError::WrongType {
                expected: "UTF-8 text",
                got: "bytes".into(),
            });
        }
        Ok(str)
    }
    /// `sys.intern(s)`: the unique, immortal str with these contents.
    pub fn intern(&self, s: &str) -> Result<Str<'_>> {
        let inner = self.inner();
        if let Some(&op) = inner.interned.borrow().get(s) {
            // SAFETY: interned strs are immortal objects of this heap.
            return Ok(Str(unsafe { Obj::from_borrowed(op) }));
        }
        let op = new_str(inner, s)?;
        // SAFETY: fresh object; from now on it is immortal and owned by the table.
        unsafe {
            inner.make_immortal(op);
            payload::<StrBody>(op).state.set(1);
        }
        inner.interned.borrow_mut().insert(s.into(), op);
        // SAFETY: the table's immortal reference keeps `op` alive; the handle takes a new one.
        Ok(Str(unsafe { Obj::from_borrowed(op) }))
    }
}

impl<'h> Obj<'h> {
    /// The contents of a str.
    #[inline]
    pub fn str_value(&self) -> Result<&str> {
        if self.kind() == Kind::Str {
            // SAFETY: checked kind; the result borrows the handle.
            Ok(unsafe { as_str(self.as_raw()) })
        } else {
            self.not_a_str()
        }
    }
    /// `str_value`'s error, out of line (it formats the type name).
    #[cold]
    #[inline(never)]
    fn not_a_str(&self) -> Result<&str> {
        Err(RuntimeError::WrongType {
            expected: "str",
            got: self.type_name().into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::Heap;

    #[test]
    fn siphash13_is_default_hashers_value() {
        use std::hash::Hasher;
        let text: String = (0..300u32)
            .map(|i| char::from(b'!' + (i * 7 % 90) as u8))
            .collect();
        for n in 0..text.len() {
            let s = &text[..n];
            let mut h = std::collections::hash_map::DefaultHasher::new();
            h.write(s.as_bytes());
            assert_eq!(super::siphash13(s.as_bytes()), h.finish(), "length {n}");
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        h.write("çé日本".as_bytes());
        assert_eq!(super::siphash13("çé日本".as_bytes()), h.finish());
    }

    #[test]
    fn str_concat_joins_the_parts_once() {
        let heap = Heap::new();
        let s = heap.str_concat(&["ab", "", "çd"]).unwrap();
        assert_eq!(s.as_str(), "abçd");
        assert_eq!(s.char_len(), 4);
        assert_eq!(heap.str_concat(&[]).unwrap().as_str(), "");
        // Same hash and size as the same text made by `str`.
        let t = heap.str("abçd").unwrap();
        assert_eq!(
            s.clone().into_obj().hash().unwrap(),
            t.clone().into_obj().hash().unwrap()
        );
        assert_eq!(heap.sizeof(&s.into_obj()), heap.sizeof(&t.into_obj()));
    }

    #[test]
    fn str_with_fills_in_place_and_rejects_invalid_utf8() {
        let heap = Heap::new();
        let s = heap.str_with(3, |b| b.copy_from_slice(b"XYZ")).unwrap();
        assert_eq!(s.as_str(), "XYZ");
        let untouched = heap.str_with(2, |_| {}).unwrap();
        assert_eq!(untouched.as_str(), "\0\0");
        let live = heap.live_objects();
        assert!(heap.str_with(1, |b| b[0] = 0xff).is_err());
        // The rejected object is freed, not leaked.
        assert_eq!(heap.live_objects(), live);
    }
}
