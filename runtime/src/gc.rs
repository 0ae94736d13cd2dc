//! The collector as the heap's users see it: `heap.gc()` converts between handles and GC heads.
//!
//! Thin on purpose: it wraps what `pyheap_gc::Collector` exposes today (collect, counts,
//! enable/disable, tracking queries). Free lists are emptied after a generation-2 collection, as
//! CPython does.

use crate::Obj;
use crate::handle::AsObj;
use crate::heap::Heap;
use crate::object::{gc_head, type_of};
use pyheap_gc::{Collector, GcError, NUM_GENERATIONS};

/// `heap.gc()`: the gc module of one heap.
pub struct Gc<'h> {
    heap: &'h Heap,
}

impl Heap {
    /// The gc module of this heap.
    pub fn gc(&self) -> Gc<'_> {
        Gc { heap: self }
    }
}

impl<'h> Gc<'h> {
    fn collector(&self) -> &'h Collector {
        &self.heap.inner().gc
    }
    /// `gc.collect(generation)`: number of unreachable objects found (collected + uncollectable).
    pub fn collect(&self, generation: i64) -> std::result::Result<usize, GcError> {
        let inner = self.heap.inner();
        let n = inner.gc.collect(inner, generation)?;
        if generation == 2 {
            inner.clear_freelists();
        }
        Ok(n)
    }
    /// `gc.get_count()`.
    pub fn get_count(&self) -> [usize; NUM_GENERATIONS] {
        self.collector().get_count()
    }
    /// `gc.enable()`.
    pub fn enable(&self) {
        self.collector().enable()
    }
    /// `gc.disable()`.
    pub fn disable(&self) {
        self.collector().disable()
    }
    /// `gc.isenabled()`.
    pub fn isenabled(&self) -> bool {
        self.collector().isenabled()
    }
    /// `gc.is_tracked(obj)`.
    pub fn is_tracked<'o>(&self, obj: &impl AsObj<'o>) -> bool {
        let obj = obj.as_obj();
        let op = obj.as_raw();
        // SAFETY: live object; GC types have a head.
        unsafe { type_of(op).is_gc() && gc_head(op).as_ref().is_tracked() }
    }
    /// `gc.is_finalized(obj)`.
    pub fn is_finalized<'o>(&self, obj: &impl AsObj<'o>) -> bool {
        let obj = obj.as_obj();
        let op = obj.as_raw();
        // SAFETY: as above.
        unsafe { type_of(op).is_gc() && gc_head(op).as_ref().is_finalized() }
    }
    /// Objects in generation `g` (3 = permanent).
    pub fn generation_len(&self, g: usize) -> usize {
        self.collector().generation_len(g)
    }
    /// The raw collector (for what is not wrapped yet).
    pub fn collector_raw(&self) -> &'h Collector {
        self.collector()
    }
    /// `gc.get_referents(obj)`: what the object's traverse reports (GC-capable or not).
    pub fn get_referents(&self, obj: &impl AsObj<'h>) -> Vec<Obj<'h>> {
        crate::introspect::referents(obj.as_obj())
    }
}
