//! Free lists: dead objects of the commonest types kept for reuse instead of freed, as CPython
//! keeps floats, tuples (one list per length 1..=20), lists and dicts.
//!
//! ```text
//!   float_free ─▶ dead float ─▶ dead float ─▶ ∅        linked through the dead refcount word
//!   tuple_free[n-1] ─▶ dead n-tuple ─▶ ∅                 (trashcan::DeadChain, the same chain
//!   list_free, dict_free ─▶ ...                           the trashcan threads containers on)
//! ```
//!
//! # Invariants
//! - A free-listed object is dead: not live (`HeapInner::live` does not count it), untracked,
//!   its header still names its type (so `free_object` can compute its size), its refcount word
//!   the chain link.
//! - A list never holds more than its maximum (`tunables.rs`); a full list frees instead.
//! - GC types on a free list skipped `note_deallocation` (like CPython's `PyObject_GC_Del`
//!   skipped by the free list): emptying the list pays it.

use super::{Heap, HeapInner};
use crate::object::RawObj;
use std::cell::Cell;

/// A LIFO of dead objects' memory, linked through their (dead) refcount word.
pub(crate) struct FreeList {
    chain: crate::trashcan::DeadChain,
    len: Cell<usize>,
    max: usize,
}

impl FreeList {
    pub(super) const fn new(max: usize) -> Self {
        FreeList {
            chain: crate::trashcan::DeadChain::new(),
            len: Cell::new(0),
            max,
        }
    }
    /// Keep `op`'s memory; false when full.
    ///
    /// # Safety
    /// `op` is a dead object (refcount 0, unreachable) of the free list's type.
    #[inline]
    pub(crate) unsafe fn push(&self, op: RawObj) -> bool {
        if self.len.get() >= self.max {
            return false;
        }
        // SAFETY: op is dead and its memory ours (caller).
        unsafe { self.chain.push(op) };
        self.len.set(self.len.get() + 1);
        true
    }
    /// Reuse a dead object's memory (its header still names the type; refcount word is garbage).
    #[inline]
    pub(crate) fn pop(&self) -> Option<RawObj> {
        let op = self.chain.pop()?;
        self.len.set(self.len.get() - 1);
        Some(op)
    }
    pub(crate) fn len(&self) -> usize {
        self.len.get()
    }
}

/// What [`Heap::freelist_sizes`] reports: dead objects kept for reuse, per free list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FreeListSizes {
    /// Floats (at most `FLOAT_FREELIST_MAX`).
    pub float: usize,
    /// Tuples of lengths 1..=20, summed over the twenty lists.
    pub tuple: usize,
    /// List objects (their item arrays are freed).
    pub list: usize,
    /// Dict objects.
    pub dict: usize,
}

impl Heap {
    /// Empty every free list (CPython does this after a generation-2 collection).
    pub fn clear_freelists(&self) {
        self.inner().clear_freelists()
    }
    /// Account for `n` tuples of length `len` made, alive together, then released, as
    /// CPython's calls make argument tuples (and `zip` its tuple of iterators) that no Python
    /// code keeps: the free list gives what it holds and pymalloc the rest, which generation 0
    /// counts, and all of them end on the free list, as in CPython. When the free list already
    /// holds `n` nothing observable changes, so nothing is done (the common, cheap case).
    /// Length 0 (the `()` singleton) and lengths past the free lists (allocated and freed, no
    /// count left behind) do nothing.
    pub fn transient_tuples(&self, len: usize, n: usize) -> crate::error::Result<()> {
        match self.inner().tuple_free.get(len.wrapping_sub(1)) {
            Some(list) if list.len() < n => {
                let items = vec![self.none(); len];
                let made = (0..n)
                    .map(|_| self.tuple(&items))
                    .collect::<crate::error::Result<Vec<_>>>()?;
                drop(made);
                Ok(())
            }
            _ => Ok(()),
        }
    }
    /// One argument tuple: [`Heap::transient_tuples`]`(len, 1)`.
    pub fn transient_tuple(&self, len: usize) -> crate::error::Result<()> {
        self.transient_tuples(len, 1)
    }
    /// [`Heap::transient_tuple`] for a dict (CPython's `**kwargs` dicts of a call).
    pub fn transient_dict(&self) -> crate::error::Result<()> {
        if self.inner().dict_free.len() == 0 {
            drop(self.dict()?);
        }
        Ok(())
    }
    /// How many dead objects each free list holds.
    pub fn freelist_sizes(&self) -> FreeListSizes {
        let i = self.inner();
        FreeListSizes {
            float: i.float_free.len(),
            tuple: i.tuple_free.iter().map(FreeList::len).sum(),
            list: i.list_free.len(),
            dict: i.dict_free.len(),
        }
    }
}

impl HeapInner {
    /// The end of a free-listed type's dealloc: keep `op` on `list` (`None`: a size no list
    /// keeps), or free it when the list is full. `gc`: the type is GC-capable, so a free counts
    /// as a GC deallocation (a kept object pays it when the list is emptied).
    ///
    /// # Safety
    /// `op` is a dead, untracked object of this heap whose children were released, of the
    /// type `list` keeps; it must not be touched afterwards.
    #[inline]
    pub(crate) unsafe fn keep_or_free(&self, list: Option<&FreeList>, op: RawObj, gc: bool) {
        // SAFETY: this fn's contract.
        if unsafe { self.try_keep(list, op) } {
            return;
        }
        if gc {
            self.gc.note_deallocation();
        }
        // SAFETY: `op` is dead and ours (contract), and on no list: the push refused it or no
        // list keeps its size.
        unsafe { self.free_object(op) };
    }

    /// [`keep_or_free`](Self::keep_or_free) for a GC type whose dealloc knows the block size
    /// (GC head included): the free skips `free_object`'s size computation from the type.
    ///
    /// # Safety
    /// As `keep_or_free` with `gc` true; `size` is the size `op`'s block was allocated with.
    #[inline]
    pub(crate) unsafe fn keep_or_free_gc_sized(
        &self,
        list: Option<&FreeList>,
        op: RawObj,
        size: usize,
    ) {
        // SAFETY: this fn's contract.
        if unsafe { self.try_keep(list, op) } {
            return;
        }
        self.gc.note_deallocation();
        // SAFETY: `op` is dead, ours, GC-capable, of `size` bytes (contract), and on no list.
        unsafe { self.free_gc_object_sized(op, size) };
    }

    /// Put `op` on `list` when there is one and it has room: `true` if kept.
    ///
    /// # Safety
    /// As [`keep_or_free`](Self::keep_or_free).
    #[inline]
    unsafe fn try_keep(&self, list: Option<&FreeList>, op: RawObj) -> bool {
        if let Some(list) = list
            // SAFETY: `op` is dead and ours (caller), of the list's type.
            && unsafe { list.push(op) }
        {
            self.note_freelisted();
            return true;
        }
        false
    }

    /// Note that a free-listed object stopped being live.
    #[inline]
    pub(crate) fn note_freelisted(&self) {
        self.live.set(self.live.get() - 1);
    }

    pub(crate) fn clear_freelists(&self) {
        // Tuples, lists and dicts are GC types: freeing them from a free list is the
        // `PyObject_GC_Del` that their trip onto the free list skipped, so generation 0's count
        // goes down now (floats are not GC objects).
        let lists = std::iter::once((&self.float_free, false))
            .chain(self.tuple_free.iter().map(|fl| (fl, true)))
            .chain([(&self.list_free, true), (&self.dict_free, true)]);
        for (fl, is_gc) in lists {
            while let Some(op) = fl.pop() {
                if is_gc {
                    self.gc.note_deallocation();
                }
                // SAFETY: free-listed memory is owned by the list; it is counted as not live, so
                // re-count it before free_object un-counts it.
                unsafe {
                    self.live.set(self.live.get() + 1);
                    self.free_object(op);
                }
            }
        }
    }
}
