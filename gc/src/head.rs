//! The GC head: two words in front of every GC-capable object, and the intrusive lists made of them.
//!
//! ```text
//!   GcHead (16 B)                                   object header (runtime's business)
//!  ┌──────────────────────┬────────────────────────┬──────────┬──────────┬─ payload ─
//!  │ next: *mut GcHead    │ prev: *mut GcHead      │ refcnt   │ type     │ ...
//!  └──────────────────────┴────────────────────────┴──────────┴──────────┴───────────
//!   between collections:
//!    next = the next head in the list, null = untracked
//!    prev = the previous head | FINALIZED (bit 0)
//!   during a collection (only for objects of the generations being collected):
//!    prev = gc_refs << 2 | COLLECTING (bit 1) | FINALIZED (bit 0)   (list is singly linked)
//!    next = the next head | UNREACHABLE (bit 0) while on the tentatively-unreachable list
//! ```
//!
//! Lists are circular and doubly linked through a sentinel head that is never tagged. A tracked
//! object is on exactly one list: a generation, the permanent generation, or a list local to a
//! running collection.
//!
//! # Provenance
//! Both words are pointers (`Cell<*mut GcHead>`), never integers cast back to pointers: flag bits
//! are set and cleared with `map_addr`, which keeps the pointer's provenance, and a word that
//! holds no pointer (gc_refs, the FINALIZED bit of an untracked head) is made with
//! `without_provenance_mut` and never dereferenced. Every pointer the collector follows was
//! therefore derived from a pointer to the object or sentinel it names, and Miri checks the
//! collector under `-Zmiri-strict-provenance`:
//!
//! ```text
//!   link(p, flags)  = p.map_addr(|a| a | flags)        provenance of p kept
//!   follow(link)    = link.map_addr(|a| a & !MASK)      = p, with p's provenance
//!   refs word       = without_provenance(refs << 2 | flags)   an address only, never followed
//! ```
//!
//! # Invariants this module relies on
//! - Every `GcHead` handed to these functions is 8-byte aligned and stays at a fixed address while it
//!   is on a list (objects do not move; sentinels are boxed by their owner).
//! - A head on a list is not freed until it has been unlinked (`untrack`).
//! - Between collections only the FINALIZED bit may be set in `prev`; `next` carries no tag.

use std::cell::Cell;
use std::ptr::{self, NonNull};

/// `prev` bit 0: the object's PEP 442 finalizer has run (survives untrack/track).
pub const PREV_MASK_FINALIZED: usize = 1;
/// `prev` bit 1: the object belongs to the generation being collected right now.
pub const PREV_MASK_COLLECTING: usize = 2;
/// Number of flag bits at the bottom of `prev`; gc_refs is stored above them.
pub const PREV_SHIFT: u32 = 2;
/// `next` bit 0: the object is on the tentatively-unreachable list.
pub const NEXT_MASK_UNREACHABLE: usize = 1;

/// Both flag bits of `prev`.
const PREV_FLAGS: usize = PREV_MASK_FINALIZED | PREV_MASK_COLLECTING;

/// The two words in front of a GC-capable object.
#[repr(C)]
#[derive(Debug)]
pub struct GcHead {
    next: Cell<*mut GcHead>,
    prev: Cell<*mut GcHead>,
}

impl Default for GcHead {
    fn default() -> Self {
        GcHead::new()
    }
}

/// A pointer to the GC head of a GC-capable object (what the collector deals in).
pub type GcPtr = NonNull<GcHead>;

/// `p` with `tag` or-ed into its low bits (provenance kept).
#[inline(always)]
pub(crate) fn tagged(p: GcPtr, tag: usize) -> *mut GcHead {
    p.as_ptr().map_addr(|a| a | tag)
}

impl GcHead {
    /// A fresh, untracked head (both words null).
    pub const fn new() -> Self {
        GcHead {
            next: Cell::new(ptr::null_mut()),
            prev: Cell::new(ptr::null_mut()),
        }
    }

    /// The `next` word as stored (possibly tagged UNREACHABLE; null when untracked).
    #[inline]
    pub(crate) fn next_raw(&self) -> *mut GcHead {
        self.next.get()
    }
    #[inline]
    pub(crate) fn set_next_raw(&self, v: *mut GcHead) {
        self.next.set(v)
    }
    /// Is `next` tagged UNREACHABLE?
    #[inline]
    pub(crate) fn next_is_tagged(&self) -> bool {
        self.next.get().addr() & NEXT_MASK_UNREACHABLE != 0
    }
    /// Clear the UNREACHABLE tag of `next`.
    #[inline]
    pub(crate) fn untag_next(&self) {
        self.next
            .set(self.next.get().map_addr(|a| a & !NEXT_MASK_UNREACHABLE))
    }
    /// Does `next` (tag ignored) point at `p`?
    #[inline]
    pub(crate) fn next_is(&self, p: GcPtr) -> bool {
        self.next.get().addr() & !NEXT_MASK_UNREACHABLE == p.as_ptr().addr()
    }
    /// Make the head untracked: `next` null, `prev` only the FINALIZED bit.
    #[inline]
    pub(crate) fn set_untracked(&self) {
        self.next.set(ptr::null_mut());
        self.prev.set(ptr::without_provenance_mut(
            self.prev.get().addr() & PREV_MASK_FINALIZED,
        ));
    }
    /// Keep only the FINALIZED bit of `prev` (a head about to be linked).
    #[inline]
    pub(crate) fn keep_only_finalized(&self) {
        self.prev.set(ptr::without_provenance_mut(
            self.prev.get().addr() & PREV_MASK_FINALIZED,
        ));
    }
    /// Store `p` as `prev` with no flag bits (sentinels).
    #[inline]
    pub(crate) fn set_prev_plain(&self, p: GcPtr) {
        self.prev.set(p.as_ptr())
    }

    /// Is this object on one of the collector's lists? (`next` not null)
    #[inline]
    pub fn is_tracked(&self) -> bool {
        !self.next.get().is_null()
    }

    /// Has this object's PEP 442 finalizer already run?
    #[inline]
    pub fn is_finalized(&self) -> bool {
        self.prev.get().addr() & PREV_MASK_FINALIZED != 0
    }

    /// Set the FINALIZED bit (done by the collector before calling a finalizer, and by the runtime
    /// when a finalizer runs from deallocation).
    #[inline]
    pub fn set_finalized(&self) {
        self.prev
            .set(self.prev.get().map_addr(|a| a | PREV_MASK_FINALIZED))
    }

    /// Is the object part of the collection running right now?
    #[inline]
    pub fn is_collecting(&self) -> bool {
        self.prev.get().addr() & PREV_MASK_COLLECTING != 0
    }

    /// The next head in the list, without the UNREACHABLE tag.
    #[inline]
    pub(crate) fn next(&self) -> GcPtr {
        let v = self.next.get().map_addr(|a| a & !NEXT_MASK_UNREACHABLE);
        debug_assert!(!v.is_null(), "next() on an untracked head");
        // SAFETY: tracked heads always hold a non-null pointer in `next`.
        unsafe { NonNull::new_unchecked(v) }
    }

    /// The previous head in the list (only meaningful while `prev` holds a pointer).
    #[inline]
    pub(crate) fn prev(&self) -> GcPtr {
        let v = self.prev.get().map_addr(|a| a & !PREV_FLAGS);
        debug_assert!(!v.is_null(), "prev() on a head whose prev holds no pointer");
        // SAFETY: see above.
        unsafe { NonNull::new_unchecked(v) }
    }

    #[inline]
    pub(crate) fn set_next(&self, n: GcPtr) {
        self.next.set(n.as_ptr())
    }

    /// Store `n` as the next pointer, tagged UNREACHABLE.
    #[inline]
    pub(crate) fn set_next_unreachable(&self, n: GcPtr) {
        self.next.set(tagged(n, NEXT_MASK_UNREACHABLE))
    }

    /// Store `p` as the previous pointer, keeping the flag bits.
    #[inline]
    pub(crate) fn set_prev(&self, p: GcPtr) {
        let flags = self.prev.get().addr() & PREV_FLAGS;
        self.prev.set(tagged(p, flags))
    }

    /// gc_refs: only meaningful while COLLECTING is set.
    #[inline]
    pub(crate) fn gc_refs(&self) -> usize {
        self.prev.get().addr() >> PREV_SHIFT
    }

    /// Overwrite `prev` with `refs << 2 | COLLECTING | (old FINALIZED)`.
    #[inline]
    pub(crate) fn reset_refs(&self, refs: usize) {
        let fin = self.prev.get().addr() & PREV_MASK_FINALIZED;
        self.prev.set(ptr::without_provenance_mut(
            (refs << PREV_SHIFT) | PREV_MASK_COLLECTING | fin,
        ))
    }

    #[inline]
    pub(crate) fn set_gc_refs(&self, refs: usize) {
        let flags = self.prev.get().addr() & PREV_FLAGS;
        self.prev
            .set(ptr::without_provenance_mut((refs << PREV_SHIFT) | flags))
    }

    #[inline]
    pub(crate) fn decref_gc_refs(&self) {
        self.prev
            .set(self.prev.get().map_addr(|a| a - (1 << PREV_SHIFT)))
    }

    #[inline]
    pub(crate) fn clear_collecting(&self) {
        self.prev
            .set(self.prev.get().map_addr(|a| a & !PREV_MASK_COLLECTING))
    }
}

/// Hint the CPU to start loading the cache line that holds `addr`. Only a hint: no memory is
/// accessed and any address is fine (dangling, null, another allocation's), so it is safe. Public
/// so that an object model's traversals can prefetch the referents they will visit next.
#[inline(always)]
pub fn prefetch_line(addr: *const u8) {
    // (Not under Miri, which need not implement the LLVM prefetch intrinsic.)
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: `_mm_prefetch` needs SSE, part of the x86-64 baseline (always enabled); a
        // prefetch never faults and reads nothing observable, whatever the address.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(addr.cast::<i8>()) };
    }
    #[cfg(not(all(target_arch = "x86_64", not(miri))))]
    let _ = addr;
}

/// Prefetch the head `p` (about to be visited by a list walk).
///
/// The walks over a generation are pointer chasing; once old objects are spread over the heap
/// (survivors of a churning workload) every step is a cache miss. Issuing the next head's load
/// before the current object's traverse lets the two misses overlap.
#[inline(always)]
pub(crate) fn prefetch(p: GcPtr) {
    prefetch_line(p.as_ptr().cast::<u8>());
}

/// Prefetch both lines an object may span at its start: its head and the 16 bytes after it
/// (where an object model keeps its header: refcount and type). A 64-byte block at pool offset
/// 48 + 64k has its head at the end of one cache line and the object header at the start of the
/// next, and the walks read both.
#[inline(always)]
pub(crate) fn prefetch_object(p: GcPtr) {
    let a = p.as_ptr().cast::<u8>().cast_const();
    prefetch_line(a);
    // Address arithmetic only (wrapping: a sentinel has nothing after its head).
    prefetch_line(a.wrapping_add(std::mem::size_of::<GcHead>()));
}

/// Borrow a head behind a `GcPtr`.
///
/// # Safety
/// `p` must point to a live `GcHead` (an object that is not freed, or a sentinel that is alive).
#[inline]
pub(crate) unsafe fn head<'a>(p: GcPtr) -> &'a GcHead {
    // SAFETY: guaranteed by the caller.
    unsafe { p.as_ref() }
}

/// Operations on circular lists whose sentinel is `list`.
///
/// # Safety (all functions)
/// Every pointer passed in, and every head reachable through the list links, is live; lists hold
/// plain (untagged, flag-free apart from FINALIZED/COLLECTING in `prev`) links.
pub(crate) mod list {
    use super::*;

    /// Make `list` an empty ring.
    ///
    /// # Safety
    /// `list` is a live head (its links are overwritten: it must be on no list).
    #[inline]
    pub unsafe fn init(list: GcPtr) {
        // SAFETY: list is live (caller).
        let h = unsafe { head(list) };
        h.set_next(list);
        h.set_prev_plain(list);
    }

    /// Does the ring hold only its sentinel?
    ///
    /// # Safety
    /// `list` is a live head initialised as a list.
    #[inline]
    pub unsafe fn is_empty(list: GcPtr) -> bool {
        // SAFETY: list is live (caller).
        unsafe { head(list) }.next_raw() == list.as_ptr()
    }

    /// Append `node` (not on any list) at the tail of `list`, keeping `node`'s FINALIZED and
    /// COLLECTING bits (as CPython's `gc_list_append`: objects move between the local lists of a
    /// running collection with COLLECTING set, and it must survive the move).
    ///
    /// # Safety
    /// `node` and `list` are live heads, `node` on no list, `list` a list whose elements are live.
    #[inline]
    pub unsafe fn append(node: GcPtr, list: GcPtr) {
        // SAFETY: node, list and list's last element are live (caller).
        unsafe {
            let l = head(list);
            let last = l.prev();
            let n = head(node);
            n.set_prev(last);
            n.set_next(list);
            head(last).set_next(node);
            l.set_prev_plain(node);
        }
    }

    /// Unlink `node` from whatever list it is on; leaves `node`'s own links untouched.
    ///
    /// # Safety
    /// `node` is on a list whose neighbours of `node` are live.
    #[inline]
    pub unsafe fn remove(node: GcPtr) {
        // SAFETY: node and its neighbours are live (caller).
        unsafe {
            let n = head(node);
            let prev = n.prev();
            let next = n.next();
            head(prev).set_next(next);
            head(next).set_prev(prev);
        }
    }

    /// Move `node` from its list to the tail of `list`.
    ///
    /// # Safety
    /// As [`remove`] for `node`, and as [`append`] for `list`.
    #[inline]
    pub unsafe fn move_to(node: GcPtr, list: GcPtr) {
        // SAFETY: forwarded from the caller.
        unsafe {
            remove(node);
            append(node, list);
        }
    }

    /// Move every element of `from` to the tail of `to`; `from` becomes empty.
    ///
    /// # Safety
    /// `from` and `to` are distinct live lists whose elements are live.
    #[inline]
    pub unsafe fn merge(from: GcPtr, to: GcPtr) {
        // SAFETY: both lists and their elements are live (caller).
        unsafe {
            if is_empty(from) {
                return;
            }
            let t = head(to);
            let f = head(from);
            let to_tail = t.prev();
            let from_first = f.next();
            let from_last = f.prev();
            head(to_tail).set_next(from_first);
            head(from_first).set_prev(to_tail);
            head(from_last).set_next(to);
            t.set_prev_plain(from_last);
            init(from);
        }
    }

    /// Number of elements (walks the list).
    ///
    /// # Safety
    /// `list` is a live list whose elements are live.
    pub unsafe fn len(list: GcPtr) -> usize {
        let mut n = 0;
        // SAFETY: list and its elements are live (caller).
        unsafe {
            let mut p = head(list).next();
            while p != list {
                n += 1;
                p = head(p).next();
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ptr(h: &GcHead) -> GcPtr {
        NonNull::from(h)
    }

    #[test]
    fn append_remove_merge_keep_links_and_finalized_bit() {
        let (a, b, c, l1, l2) = (
            GcHead::new(),
            GcHead::new(),
            GcHead::new(),
            GcHead::new(),
            GcHead::new(),
        );
        b.set_finalized();
        // SAFETY: all heads live on this stack frame until the end of the test.
        unsafe {
            list::init(ptr(&l1));
            list::init(ptr(&l2));
            assert!(list::is_empty(ptr(&l1)));
            list::append(ptr(&a), ptr(&l1));
            list::append(ptr(&b), ptr(&l1));
            list::append(ptr(&c), ptr(&l2));
            assert_eq!(list::len(ptr(&l1)), 2);
            assert!(b.is_finalized() && !a.is_finalized());
            list::merge(ptr(&l1), ptr(&l2));
            assert!(list::is_empty(ptr(&l1)));
            assert_eq!(list::len(ptr(&l2)), 3);
            // order: c, a, b
            assert_eq!(l2.next(), ptr(&c));
            assert_eq!(c.next(), ptr(&a));
            assert_eq!(a.next(), ptr(&b));
            assert_eq!(b.next(), ptr(&l2));
            assert_eq!(l2.prev(), ptr(&b));
            list::remove(ptr(&a));
            assert_eq!(c.next(), ptr(&b));
            assert_eq!(b.prev(), ptr(&c));
            assert!(b.is_finalized());
        }
    }

    #[test]
    fn refs_live_above_the_flag_bits() {
        let h = GcHead::new();
        h.set_finalized();
        h.reset_refs(5);
        assert!(h.is_collecting() && h.is_finalized());
        assert_eq!(h.gc_refs(), 5);
        h.decref_gc_refs();
        assert_eq!(h.gc_refs(), 4);
        h.clear_collecting();
        assert!(!h.is_collecting() && h.is_finalized());
    }
}
