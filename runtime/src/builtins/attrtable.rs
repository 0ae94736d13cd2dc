//! An instance's attribute table: its `(name, value)` pairs in one block of the heap's allocator.
//!
//! ```text
//!   instance's table word ──▶ [len u32 | cap u32][(name, value) 0][(name, value) 1] .. [cap-1]
//!                              one pymalloc block of 8 + 24·cap bytes (cap 2: 56 bytes, class 64)
//! ```
//!
//! The table is what CPython keeps in an instance's values array / `__dict__`: pymalloc memory,
//! allocated at the first attribute store and freed with the instance. A `Box<Vec<..>>` here cost
//! two glibc allocations per instance and two glibc frees on every death (~210 of the ~520
//! instructions a level of a deep instance chain took to free, callgrind); one pymalloc block is
//! one sized free on the fast path. Growth doubles the capacity through the allocator's realloc
//! (blocks past pymalloc's 512 bytes go to the system allocator there, as CPython's do).
//!
//! # Invariants
//! - A table pointer is null (no table) or a block from `HeapInner::alloc_bytes(bytes(cap))` of
//!   the owning instance's heap, owned by exactly one instance word (or by a caller that detached
//!   it from that word).
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

/// Block size of a table with room for `cap` entries.
const fn bytes(cap: usize) -> usize {
    HEAD + cap * std::mem::size_of::<Entry>()
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

/// Append `e` to the table in `*word`, allocating or growing the block as needed. On an
/// allocation failure nothing changed and `e` is dropped.
///
/// # Safety
/// `word` is an instance's table word (null or a live table of `heap`), with no borrow of the
/// table alive; no user code runs meanwhile.
pub(crate) unsafe fn push(heap: &HeapInner, word: *mut *mut Table, e: Entry) -> Result<()> {
    // SAFETY: `word` is a table word of `heap` (caller); every block is ours until stored back.
    unsafe {
        let t = match NonNull::new(*word) {
            None => {
                let t = heap.alloc_bytes(bytes(FIRST_CAP))?.cast::<Table>();
                t.write(Table {
                    len: 0,
                    cap: FIRST_CAP as u32,
                });
                *word = t.as_ptr();
                t
            }
            Some(t) if t.as_ref().len == t.as_ref().cap => {
                let cap = 2 * t.as_ref().cap as usize;
                let n = heap.realloc_bytes(t.cast(), bytes(cap))?.cast::<Table>();
                (*n.as_ptr()).cap = cap as u32;
                *word = n.as_ptr();
                n
            }
            Some(t) => t,
        };
        let len = t.as_ref().len;
        first(t).add(len as usize).write(e);
        (*t.as_ptr()).len = len + 1;
    }
    Ok(())
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
/// user code: nothing reaches the detached block), each name, then the block.
///
/// # Safety
/// `t` is a live table of `heap` that no instance word holds any more.
#[inline]
pub(crate) unsafe fn release(heap: &HeapInner, t: NonNull<Table>, mut release: impl FnMut(RawObj)) {
    // SAFETY: the table is detached and ours (caller); each entry is read out exactly once.
    unsafe {
        let (len, cap) = (t.as_ref().len as usize, t.as_ref().cap as usize);
        for i in 0..len {
            let (name, v) = first(t).add(i).read();
            drop(name);
            release(v);
        }
        heap.free_bytes(t.cast(), bytes(cap));
    }
}
