//! An instance's attribute table: its `(name, value)` pairs, first inline in the instance's own
//! block, then (past the inline room) in one block of the heap's allocator.
//!
//! ```text
//!   table ::= [len u32 | cap u32][(name, value) 0][(name, value) 1] .. [cap-1]   8 + 24·cap bytes
//!
//!   instance block:  [GcHead][header][weaklist][table word][..slots..] [inline table, cap n]
//!                                                   │                   ^ payload + basic_size − 16
//!                    null ─ no attribute yet        └──▶ the inline table, or
//!                                                        an out-of-line block (grown past n)
//! ```
//!
//! The table is what CPython keeps in an instance's values array: CPython 3.13 puts the first
//! values inline in the object (sized from the class's shared keys), and so do we. The class
//! learns how many attributes its instances reach (`TypeObject::inline_attrs`, the most any
//! table held, at most `MAX_INLINE_ATTRS`) and each new instance gets room for that many inline;
//! the room's size is written in the inline table's `cap` at creation and never changes, so the
//! instance's dealloc knows its block size. One block per instance instead of two saves a sized
//! pymalloc free and a dependent cache miss (instance → table → value) on every death and on
//! every traverse (a deep instance chain's drop: 234 → see BENCHMARKS.md, "Issue 10, stop 23").
//! A table that outgrows the inline room moves to its own block (copied once), which then
//! doubles through the allocator's realloc (past 512 bytes the system allocator, as CPython's
//! dict storage). `sys.getsizeof` counts neither (as CPython 3.11+'s does not count the values);
//! `deep_sizeof` counts both.
//!
//! # Invariants
//! - An out-of-line table is a block from `HeapInner::alloc_bytes(bytes(cap))` of the owning
//!   instance's heap, owned by exactly one instance word (or by a caller that detached it).
//! - The inline table of an instance is in use iff the table word points at it or its `len` is
//!   non-zero (a detached inline table being released keeps its `len` until the release ends, so
//!   user code run by the release cannot store into the entries still being read out).
//! - `len <= cap`; entries `0..len` are initialised: each name a live `Rc<str>`, each value a
//!   strong reference the table owns. Entries `len..cap` are uninitialised.

use crate::error::Result;
use crate::heap::HeapInner;
use crate::object::RawObj;
use std::ptr::NonNull;
use std::rc::Rc;

/// One attribute: the type's shared name and a strong reference to the value.
pub(crate) type Entry = (Rc<str>, RawObj);

/// The block's first word; the entries follow it.
#[repr(C)]
pub(crate) struct Table {
    len: u32,
    cap: u32,
}

/// Capacity of a table's first block (most instances have one or two attributes).
const FIRST_CAP: usize = 2;
const HEAD: usize = std::mem::size_of::<Table>();
const _: () = assert!(HEAD.is_multiple_of(std::mem::align_of::<Entry>()));

/// Bytes of a table with room for `cap` entries (its block, or the inline room).
pub(crate) const fn bytes(cap: usize) -> usize {
    HEAD + cap * std::mem::size_of::<Entry>()
}
const _: () = assert!(bytes(crate::tunables::MAX_INLINE_ATTRS) + 48 <= 512);

/// Write an empty inline table with room for `cap` entries at `at`.
///
/// # Safety
/// `at` is valid for writes of `bytes(cap)` bytes, 8-aligned, inside a fresh instance's block.
pub(crate) unsafe fn init_inline(at: NonNull<Table>, cap: usize) {
    // SAFETY: caller.
    unsafe {
        at.write(Table {
            len: 0,
            cap: cap as u32,
        })
    }
}

/// Capacity of an inline table (fixed at the instance's creation).
///
/// # Safety
/// `t` is an instance's inline table.
pub(crate) unsafe fn capacity(t: NonNull<Table>) -> usize {
    // SAFETY: caller.
    unsafe { t.as_ref() }.cap as usize
}

/// Bytes of `t`'s block (deep sizes).
///
/// # Safety
/// `t` is a live table (module invariants).
pub(crate) unsafe fn block_bytes(t: NonNull<Table>) -> usize {
    // SAFETY: live table (caller).
    bytes(unsafe { t.as_ref() }.cap as usize)
}

/// The first entry's address.
///
/// # Safety
/// `t` is a live table.
unsafe fn first(t: NonNull<Table>) -> *mut Entry {
    // SAFETY: the entries follow the head inside the block (layout above).
    unsafe { t.as_ptr().cast::<u8>().add(HEAD).cast() }
}

/// The initialised entries.
///
/// # Safety
/// `t` is a live table; the slice must end before anything that may run user code or reach
/// the table again (a decref, a user `__eq__`), and before the table grows or is freed.
pub(crate) unsafe fn entries<'a>(t: NonNull<Table>) -> &'a mut [Entry] {
    // SAFETY: entries 0..len are initialised (invariants); the exclusive borrow is the caller's.
    unsafe { std::slice::from_raw_parts_mut(first(t), t.as_ref().len as usize) }
}

/// Append `e` to the table in `*word` (`inline`: the instance's inline table, if it has one),
/// using the inline room first, then allocating or growing a block as needed. Returns the new
/// length. On an allocation failure nothing changed and `e` is dropped.
///
/// # Safety
/// `word` is an instance's table word (null, its inline table `inline`, or a live out-of-line
/// table of `heap`), with no borrow of the table alive; no user code runs meanwhile.
pub(crate) unsafe fn push(
    heap: &HeapInner,
    word: *mut *mut Table,
    inline: Option<NonNull<Table>>,
    e: Entry,
) -> Result<usize> {
    // SAFETY: `word` is a table word of `heap` (caller); every block is ours until stored back.
    unsafe {
        let t = match NonNull::new(*word) {
            // The inline room, when it has any and no release of it is under way (invariants).
            None => match inline {
                Some(i) if i.as_ref().cap > 0 && i.as_ref().len == 0 => {
                    *word = i.as_ptr();
                    i
                }
                _ => {
                    let t = heap.alloc_bytes(bytes(FIRST_CAP))?.cast::<Table>();
                    t.write(Table {
                        len: 0,
                        cap: FIRST_CAP as u32,
                    });
                    *word = t.as_ptr();
                    t
                }
            },
            Some(t) if t.as_ref().len == t.as_ref().cap => {
                let cap = (2 * t.as_ref().cap as usize).max(FIRST_CAP);
                let n = if Some(t) == inline {
                    // Out of the inline room: copy the entries (moved bitwise; the inline table
                    // no longer counts them) to a block of their own.
                    let n = heap.alloc_bytes(bytes(cap))?.cast::<Table>();
                    let len = t.as_ref().len;
                    std::ptr::copy_nonoverlapping(first(t), first(n), len as usize);
                    n.write(Table { len, cap: 0 });
                    (*t.as_ptr()).len = 0;
                    n
                } else {
                    heap.realloc_bytes(t.cast(), bytes(cap))?.cast::<Table>()
                };
                (*n.as_ptr()).cap = cap as u32;
                *word = n.as_ptr();
                n
            }
            Some(t) => t,
        };
        let len = t.as_ref().len;
        first(t).add(len as usize).write(e);
        (*t.as_ptr()).len = len + 1;
        Ok(len as usize + 1)
    }
}

/// Remove entry `i` (later entries move down one place, keeping the insertion order).
///
/// # Safety
/// `t` is a live table with `i < len`, no borrow of it alive.
pub(crate) unsafe fn remove(t: NonNull<Table>, i: usize) -> Entry {
    // SAFETY: i < len (caller): entry i is initialised; entries i+1..len move down, so 0..len-1
    // stay initialised and the old last one is no longer counted.
    unsafe {
        let len = t.as_ref().len as usize;
        debug_assert!(i < len);
        let p = first(t).add(i);
        let e = p.read();
        std::ptr::copy(p.add(1), p, len - i - 1);
        (*t.as_ptr()).len = (len - 1) as u32;
        e
    }
}

/// Release a detached table: each value's reference in order (through `release`, which may run
/// user code: nothing reaches the detached entries), each name, then the block (an inline
/// table is only marked free again: its room belongs to the instance's block).
///
/// # Safety
/// `t` is a live table of `heap` that no instance word holds any more; `inline` is the owning
/// instance's inline table, if it has one.
#[inline]
pub(crate) unsafe fn release(
    heap: &HeapInner,
    t: NonNull<Table>,
    inline: Option<NonNull<Table>>,
    mut release: impl FnMut(RawObj),
) {
    // SAFETY: the table is detached and ours (caller); each entry is read out exactly once. An
    // inline table keeps its `len` while the entries are read, so a store run by `release`'s
    // user code takes another block (invariants).
    unsafe {
        let (len, cap) = (t.as_ref().len as usize, t.as_ref().cap as usize);
        for i in 0..len {
            let (name, v) = first(t).add(i).read();
            drop(name);
            release(v);
        }
        if Some(t) == inline {
            (*t.as_ptr()).len = 0;
        } else {
            heap.free_bytes(t.cast(), bytes(cap));
        }
    }
}
