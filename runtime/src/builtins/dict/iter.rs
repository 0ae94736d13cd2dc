//! Walking a dict while the loop body may change it: [`DictIter`] (Rust handles) and
//! [`DictCursor`] (plain data an embedder keeps in its own iterator object), with CPython's
//! "changed size" / "keys changed" rules.
//!
//! # Invariants
//! - A step reads entries through `entry_at` on the dict it holds (a live dict), takes its own
//!   references to the pair before any user code can run, and compares the previous key by
//!   address only (never dereferenced), so a mutation between steps is noticed, not read.

use super::{Dict, entry_at};
use crate::Obj;
use crate::error::{Result, RuntimeError};

/// An iterator over a dict's items in insertion order (CPython's dict iterator: `for k, v in
/// d.items()`), made by [`Dict::iter`]. It holds the dict and reads the entry at its position
/// afresh at each step, so the loop body may do anything to the dict; what it notices is
/// CPython's:
/// - the dict's length differs from the one at creation: `Err(DictChangedSize)` ("dictionary
///   changed size during iteration");
/// - the length is the same but more entries are found than were left to visit (keys were
///   replaced): `Err(DictKeysChanged)` ("dictionary keys changed during iteration");
/// - the entry before the position no longer holds the key last returned (removal here shifts
///   later entries down, where CPython leaves a dummy slot): `Err(DictKeysChanged)` at once,
///   where CPython would return the remaining entries first and raise it at the end.
///
/// After an error the iterator is finished (`None`; CPython would raise the size error again on
/// the next `next()`). Removing and inserting keys after the position (same length) is not an
/// error, as in CPython: the walk continues over the entries as they are now.
///
/// ```
/// use pyheap_runtime::{Heap, RuntimeError};
/// let heap = Heap::new();
/// let d = heap.dict()?;
/// d.set(&heap.int(1)?, &heap.int(10)?)?;
/// d.set(&heap.int(2)?, &heap.int(20)?)?;
/// let mut seen = Vec::new();
/// for item in d.iter() {
///     let (k, v) = item?;
///     seen.push((k.repr(), v.repr()));
/// }
/// assert_eq!(seen, [("1".into(), "10".into()), ("2".into(), "20".into())]);
///
/// let mut it = d.iter();
/// it.next().unwrap()?;
/// d.set(&heap.int(3)?, &heap.int(30)?)?; // grows during the loop
/// let err = it.next().unwrap().unwrap_err();
/// assert_eq!(err.to_string(), "RuntimeError: dictionary changed size during iteration");
/// assert!(it.next().is_none());
/// # Ok::<(), RuntimeError>(())
/// ```
pub struct DictIter<'h> {
    /// None once finished (exhausted or failed).
    dict: Option<Dict<'h>>,
    cursor: DictCursor,
    /// The key returned last (held, so that comparing its address is meaningful).
    last: Option<Obj<'h>>,
}

impl<'h> Iterator for DictIter<'h> {
    type Item = Result<(Obj<'h>, Obj<'h>)>;

    fn next(&mut self) -> Option<Self::Item> {
        let d = self.dict.as_ref()?;
        match d.step(&mut self.cursor, self.last.as_ref()) {
            Ok(Some((k, v))) => {
                self.last = Some(k.clone());
                Some(Ok((k, v)))
            }
            Ok(None) => {
                self.dict = None;
                None
            }
            Err(e) => {
                self.dict = None;
                Some(Err(e))
            }
        }
    }
}

/// Where a walk over a dict stands, as plain data: what an embedder keeps inside its own
/// iterator object, whose traced members hold the dict and the key returned last ([`Dict::step`]
/// needs both; [`DictIter`] is the same walk with Rust handles). Sticky like CPython's
/// iterator: after "changed size" every later step raises it again; after "keys changed" or the
/// end every later step returns `Ok(None)`.
#[derive(Clone, Copy, Debug)]
pub struct DictCursor {
    pos: usize,
    /// The length at creation (`di_used`); `usize::MAX` after a size error (sticky).
    used: usize,
    /// Entries still expected (`di->len`).
    remaining: usize,
    finished: bool,
}

impl<'h> Dict<'h> {
    /// Iterate over the items, noticing mutation as CPython does ([`DictIter`]).
    pub fn iter(&self) -> DictIter<'h> {
        DictIter {
            dict: Some(self.clone()),
            cursor: self.cursor(),
            last: None,
        }
    }

    /// A cursor at the first entry, for [`step`](Self::step).
    pub fn cursor(&self) -> DictCursor {
        let used = self.len();
        DictCursor {
            pos: 0,
            used,
            remaining: used,
            finished: false,
        }
    }

    /// The next (key, value) of a walk ([`DictIter`]'s rules), `Ok(None)` at the end. `last` is
    /// the key the previous step returned (None before the first), which the caller holds.
    pub fn step(
        &self,
        c: &mut DictCursor,
        last: Option<&Obj<'_>>,
    ) -> Result<Option<(Obj<'h>, Obj<'h>)>> {
        if c.finished {
            return Ok(None);
        }
        if self.len() != c.used {
            c.used = usize::MAX;
            return Err(RuntimeError::DictChangedSize);
        }
        let raw = self.as_raw();
        // SAFETY: live dict held by `self`; only the key's address is compared.
        let before = unsafe { entry_at(raw, c.pos.wrapping_sub(1)) }.map(|(k, _)| k);
        if let Some(last) = last
            && before != Some(last.as_raw())
        {
            c.finished = true;
            return Err(RuntimeError::DictKeysChanged);
        }
        // SAFETY: live dict held by `self`; the pair is increfed (below) before any user code
        // runs.
        let Some((k, v)) = (unsafe { entry_at(raw, c.pos) }) else {
            c.finished = true;
            return Ok(None);
        };
        if c.remaining == 0 {
            c.finished = true;
            return Err(RuntimeError::DictKeysChanged);
        }
        c.pos += 1;
        c.remaining -= 1;
        // SAFETY: entries are live objects of this heap.
        Ok(Some(unsafe {
            (Obj::from_borrowed(k), Obj::from_borrowed(v))
        }))
    }
}
