//! `sys.getrefcount`, `id`, `sys.getsizeof` and a pympler-style deep size.
//!
//! # Invariants the unsafe code relies on
//! - A handle's object is live (the `Obj` invariant), so its header and type may be read.
//! - Walks that keep raw pointers across traverses (`get_referents`, `deep_sizeof`, `check`)
//!   open a deferral scope (`trashcan::Defer`): no object is freed until the walk ends, so every
//!   pointer it collected stays readable.

use crate::Obj;
use crate::handle::AsObj;
use crate::heap::Heap;
use crate::object::{IMMORTAL_MIN, IMMORTAL_REFCNT, RawObj, refcnt, type_of};
use crate::trashcan::Defer;
use crate::types::Kind;
use std::collections::HashSet;

impl Heap {
    /// `sys.getrefcount(obj)`: the count including the argument's own reference (so a fresh
    /// object held by one handle reports 2). Immortal objects report `IMMORTAL_REFCNT`.
    pub fn getrefcount<'h>(&self, obj: &impl AsObj<'h>) -> usize {
        let obj = obj.as_obj();
        // SAFETY: a handle keeps its object alive (Obj invariant).
        let n = unsafe { refcnt(obj.as_raw()) }.get();
        if n >= IMMORTAL_MIN {
            IMMORTAL_REFCNT
        } else {
            n + 1
        }
    }
    /// `id(obj)`: the object's address.
    pub fn id<'h>(&self, obj: &impl AsObj<'h>) -> usize {
        let obj = obj.as_obj();
        obj.as_raw().as_ptr() as usize
    }
    /// `sys.getsizeof(obj)`: flat size, GC head included.
    pub fn sizeof<'h>(&self, obj: &impl AsObj<'h>) -> usize {
        let obj = obj.as_obj();
        // SAFETY: a handle keeps its object alive (Obj invariant).
        unsafe { flat_size(obj.as_raw()) }
    }
    /// Deep size (like pympler's `asizeof`): the flat sizes of the object and of everything
    /// reachable from it through traverse, each object counted once, plus what instances own
    /// out of line: attribute tables and native payloads (`ClassSpec::with_native`: both boxes
    /// and the payload's [`UserType::extra_size`](crate::UserType::extra_size), see
    /// `builtins/native.rs`). Immortal objects are counted too.
    pub fn deep_sizeof<'h>(&self, obj: &impl AsObj<'h>) -> usize {
        let obj = obj.as_obj();
        // The walk keeps raw pointers across traverses: nothing may be freed until it ends.
        let _defer = Defer::new(self.inner());
        let mut seen = HashSet::new();
        let mut stack = vec![obj.as_raw()];
        let mut total = 0;
        while let Some(op) = stack.pop() {
            if !seen.insert(op) {
                continue;
            }
            // SAFETY: reachable from a live object when reported, and nothing is freed while the
            // deferral scope is open: live. A user type's traverse panicking is caught.
            unsafe {
                total += flat_size(op);
                if type_of(op).kind == Kind::Instance {
                    total += crate::builtins::instance::table_bytes(op);
                    total += crate::builtins::native::native_bytes(op);
                }
                if let Some(t) = type_of(op).traverse {
                    t(op, &mut |c| stack.push(c));
                }
            }
        }
        total
    }
    /// `weakref.getweakrefcount(obj)`.
    pub fn getweakrefcount<'h>(&self, obj: &impl AsObj<'h>) -> usize {
        let obj = obj.as_obj();
        // SAFETY: a handle keeps its object alive (Obj invariant).
        unsafe { crate::builtins::weakref::weakrefs_of(obj.as_raw()) }.len()
    }
    /// `weakref.getweakrefs(obj)`: the weak references to `obj`, newest first.
    pub fn getweakrefs<'h>(&'h self, obj: &impl AsObj<'h>) -> Vec<crate::WeakRef<'h>> {
        let obj = obj.as_obj();
        // SAFETY: a handle keeps its object alive (Obj invariant).
        let refs = unsafe { crate::builtins::weakref::weakrefs_of(obj.as_raw()) };
        refs.into_iter()
            // SAFETY: the weakrefs on a live object's list are live objects of its heap, and
            // each handle takes its reference before anything can run.
            .map(|wr| crate::WeakRef(unsafe { Obj::from_borrowed(wr) }))
            .collect()
    }
}

/// `sys.getsizeof` of one object, through its type's slot.
///
/// # Safety
/// `op` is a live object.
unsafe fn flat_size(op: RawObj) -> usize {
    // SAFETY: live object (caller).
    unsafe { (type_of(op).sizeof)(op) }
}

/// What `obj`'s traverse reports (new references).
pub(crate) fn referents<'h>(obj: &Obj<'h>) -> Vec<Obj<'h>> {
    let mut out = Vec::new();
    let op = obj.as_raw();
    // A user traverse may drop what it just reported: it waits until the handles hold it.
    let _defer = Defer::new(obj.heap_inner());
    // SAFETY: live object; referents were live when reported and nothing is freed while the
    // deferral scope is open, so taking references to them afterwards is sound.
    unsafe {
        if let Some(t) = type_of(op).traverse {
            t(op, &mut |c| out.push(c));
        }
        out.into_iter().map(|p| Obj::from_borrowed(p)).collect()
    }
}

/// The invariant [`Heap::check`] found broken, by layer: the allocator's, the collector's, or
/// the heap's own (objects and their counts). Objects are named `<type object at 0x…>`.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum HeapInvariantError {
    /// The heap's pymalloc: a pool, arena or free list is inconsistent.
    #[error("allocator: {0}")]
    Allocator(#[from] pyheap_allocator::InvariantError),
    /// The collector's generation lists are malformed.
    #[error("collector: {0}")]
    Collector(#[from] pyheap_gc::GcInvariantError),
    /// A tracked object belongs to another heap or its type is not GC-capable.
    #[error("heap: tracked object {object} is foreign or not GC-capable")]
    TrackedForeignOrNotGc {
        /// The object.
        object: String,
    },
    /// A tracked object has reference count 0 (it should have been freed).
    #[error("heap: tracked object {object} has refcount 0")]
    TrackedDead {
        /// The object.
        object: String,
    },
    /// Tracked objects hold more references to an object than its count says: a traverse
    /// over-reports or an incref was lost.
    #[error(
        "heap: {object} has refcount {refcount} but {references} references from tracked objects"
    )]
    RefcountBelowReferences {
        /// The object.
        object: String,
        /// Its reference count.
        refcount: usize,
        /// References to it visited from tracked objects.
        references: usize,
    },
}

impl Heap {
    /// The invariant walker: check every layer of the heap, for tests and debugging.
    /// 1. the allocator: pools, arenas and free lists consistent (`Pymalloc::check_invariants`);
    /// 2. the collector: its generation lists well formed (`Collector::check_invariants`);
    /// 3. every tracked object belongs to this heap, is GC-capable and has a non-zero count;
    /// 4. every object referenced from tracked objects has refcount ≥ the number of those
    ///    references (immortals excepted): a traverse that over-reports, or a lost incref,
    ///    shows up here.
    ///
    /// The error names the broken invariant ([`HeapInvariantError`]).
    pub fn check(&self) -> Result<(), HeapInvariantError> {
        let inner = self.inner();
        // SAFETY: a shared read of the allocator: no &mut to it exists outside alloc/free calls,
        // and the walk neither allocates nor calls back into the heap.
        unsafe { (*inner.alloc.get()).check_invariants() }?;
        inner.gc.check_invariants()?;
        // The walk keeps raw pointers across traverses: nothing may be freed until it ends.
        let _defer = Defer::new(inner);
        // `None` names valid generations only, so this cannot fail.
        let objs = inner.gc.get_objects(None).unwrap_or_default();
        let mut incoming: std::collections::HashMap<RawObj, usize> = Default::default();
        for g in objs {
            // SAFETY: tracked objects are live, and stay so while the deferral scope is open.
            unsafe {
                let op = crate::object::from_gc(g);
                let ty = type_of(op);
                if !std::ptr::eq(ty.heap, inner) || !ty.is_gc() {
                    return Err(HeapInvariantError::TrackedForeignOrNotGc {
                        object: crate::builtins::describe(op),
                    });
                }
                if refcnt(op).get() == 0 {
                    return Err(HeapInvariantError::TrackedDead {
                        object: crate::builtins::describe(op),
                    });
                }
                if let Some(t) = ty.traverse {
                    t(op, &mut |c| *incoming.entry(c).or_default() += 1);
                }
            }
        }
        for (op, n) in incoming {
            // SAFETY: referents of live objects are live (and nothing was freed since).
            let rc = unsafe { refcnt(op) }.get();
            if rc < IMMORTAL_MIN && rc < n {
                return Err(HeapInvariantError::RefcountBelowReferences {
                    // SAFETY: a referent of a live object, and nothing was freed since (the
                    // deferral scope is still open).
                    object: unsafe { crate::builtins::describe(op) },
                    refcount: rc,
                    references: n,
                });
            }
        }
        Ok(())
    }
}
