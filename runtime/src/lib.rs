//! pyheap-runtime: a CPython-style object heap — object header, type objects, built-in types,
//! reference counting with a trashcan, safe handles — on pymalloc, wired to the cycle collector.
//!
//! ```text
//!   GC-capable types only                    every object
//!  ┌──────────── GcHead (16 B) ─────────────┬────────── ObjHeader (16 B) ─────────┬─ payload ──
//!  │ next               │ prev | flags      │ refcnt              │ ty ──▶ TypeObject ──▶ heap
//!  └────────────────────┴───────────────────┴─────────────────────┴─────────────────┴────────────
//!   ^ allocator block                        ^ Obj<'h> holds this address (one word)
//! ```
//!
//! | Python                 | here                                                        |
//! |------------------------|-------------------------------------------------------------|
//! | `None`, `True`, `7`    | `heap.none()`, `heap.bool(true)`, `heap.int(7)?` (immortal cache −5..=256) |
//! | `10**100`, `a + b`     | `heap.int_from_str("1e2", 16)?`, `heap.int_from_bigint(&n)?`, `heap.int_add(&a, &b)?`, `o.int_value()?` |
//! | `1.5`, `"s"`           | `heap.float(1.5)?`, `heap.str("s")?`, `heap.intern("s")?`  |
//! | `(a, b)`, `[a]`, `{}`  | `heap.tuple(&[a, b])?`, `heap.list(&[a])?`, `heap.dict()?` |
//! | `{a, b}`, `frozenset()` | `heap.set(&[a, b])?`, `heap.frozenset(&[])?`, `s.union(&t)?`, `s.iter()` |
//! | `l[::-1]`, `l.sort(key=f)` | `l.slice(None, None, Some(-1))?`, `l.sort(Some(&mut f), false)?`, `s.concat(&t)?` |
//! | `class A: ...`         | `heap.new_class(ClassSpec::new("A").with_del(..))?`, `a = A.instantiate()?` |
//! | `weakref.ref(o, cb)`   | `heap.weakref(&o, Some(Heap::obj_fn(|heap, wr| ..)))?`   |
//! | closures' cells        | `heap.cell(Some(&v))?`                                      |
//! | your own Rust types    | `impl UserType for Frame`, `heap.new_user(frame)?`          |
//! | `gc.collect()`         | `heap.gc().collect(2)`                                      |
//! | `sys.getrefcount(o)`   | `heap.getrefcount(&o)`; `heap.sizeof(&o)`, `heap.deep_sizeof(&o)` |
//! | `sys.setrecursionlimit(n)` | `heap.set_recursion_limit(n)?`; front ends: `heap.enter_recursion(kind)?` ([`RecursionGuard`]) |
//!
//! # A toy interpreter keeping its values in the heap
//!
//! ```
//! use pyheap_runtime::{Heap, Member, Obj, UserType, Visitor, RuntimeError};
//!
//! /// An environment frame of the toy language: variables plus a parent link, on the heap.
//! struct Env {
//!     vars: Member,           // a dict of the heap
//!     parent: Option<Member>, // another Env
//! }
//! impl UserType for Env {
//!     const NAME: &'static str = "Env";
//!     fn traverse(&self, v: &mut Visitor<'_>) {
//!         v.visit(&self.vars);
//!         v.visit_opt(&self.parent);
//!     }
//!     fn clear(&mut self) {
//!         self.parent = None;
//!     }
//! }
//!
//! enum Expr { Int(i64), Var(&'static str), Add(Box<Expr>, Box<Expr>), List(Vec<Expr>) }
//!
//! fn eval<'h>(heap: &'h Heap, env: &Obj<'h>, e: &Expr) -> Result<Obj<'h>, RuntimeError> {
//!     Ok(match e {
//!         Expr::Int(i) => heap.int(*i)?,
//!         Expr::Var(name) => {
//!             let mut cur = Some(env.clone());
//!             while let Some(frame) = cur {
//!                 let (vars, parent) = {
//!                     let f = frame.as_user::<Env>()?.borrow()?;
//!                     (f.vars.get(heap)?, f.parent.as_ref().map(|p| p.get(heap)).transpose()?)
//!                 };
//!                 if let Some(v) = vars.as_dict()?.get(&heap.intern(name)?)? {
//!                     return Ok(v);
//!                 }
//!                 cur = parent;
//!             }
//!             return Err(RuntimeError::KeyError(name.to_string()));
//!         }
//!         Expr::Add(a, b) => heap.int_add(&eval(heap, env, a)?, &eval(heap, env, b)?)?,
//!         Expr::List(items) => {
//!             let vals = items.iter().map(|x| eval(heap, env, x)).collect::<Result<Vec<_>, _>>()?;
//!             heap.list(&vals)?.into_obj()
//!         }
//!     })
//! }
//!
//! let heap = Heap::new();
//! let globals = heap.dict()?;
//! globals.set(&heap.intern("x")?, &heap.int(40)?)?;
//! let outer = heap.new_user(Env { vars: Member::new(&globals), parent: None })?;
//! let locals = heap.dict()?;
//! locals.set(&heap.intern("y")?, &heap.int(2)?)?;
//! let inner = heap.new_user(Env { vars: Member::new(&locals), parent: Some(Member::new(&outer)) })?;
//!
//! use Expr::*;
//! let prog = List(vec![Add(Box::new(Var("x")), Box::new(Var("y"))), Int(7)]);
//! let v = eval(&heap, &inner, &prog)?;
//! assert_eq!(v.repr(), "[42, 7]");
//! assert_eq!(heap.sizeof(&v), 56 + 2 * 8);
//! drop((v, inner, outer, locals, globals));
//! assert_eq!(heap.live_objects(), 0); // everything freed by reference counting
//! # Ok::<(), RuntimeError>(())
//! ```
//!
//! # Layers
//!
//! The modules in their order, each built on the ones below it:
//!
//! ```text
//!  4  handle · member · root · gc · call ·    the embedder's surface: handles (Obj, Member, Root),
//!     introspect · model · profile · sizes    the collector's ObjectModel, calls into user code
//!  3  heap (freelist, teardown, unraisable)   the context: allocator, collector, built-in types,
//!     · recursion                              immortals, free lists; object memory in and out
//!  2  builtins/* (one file per type, + ops)    each type's slots and operations
//!  1  refcount · trashcan                      object lifetime: incref/decref, the dealloc
//!                                              prologue, deallocation without recursion
//!  0  object · types · tunables · error        layout: ObjHeader/GcHead, TypeObject and its slot
//!                                              contracts (TypeBuilder), the knobs, the errors
//! ```
//!
//! What goes against the order, and why it stays:
//! - `types` and `error` *name* `Heap`, `HeapInner` and `Obj` without calling into them: a type
//!   points back to its heap (how a one-word handle reaches the allocator), a finalizer's
//!   signature is `Fn(&Heap, Obj)`, `RuntimeError::Recursion` carries the limit.
//! - Every layer allocates and frees through `HeapInner` (layer 3): it is the context object
//!   all others receive (CPython's interpreter state), not a concept they depend on.
//! - `refcount`'s dealloc prologue calls `builtins::weakref` (clear the weak references) and
//!   `builtins::class` (an instance's `__del__`), as CPython's `subtype_dealloc` does.
//! - `builtins` build handles (`handle::typed_handle`) for the typed API each type offers.
//!
//! # How the pieces are wired
//!
//! - **Memory**: every object (and list item arrays, small dict tables) comes from the heap's
//!   `Pymalloc`; GC-capable types get a 16-byte `GcHead` in front of the header.
//! - **Collector**: `HeapInner` implements [`pyheap_gc::ObjectModel`]. Allocating a GC-capable
//!   object calls `note_allocation` *before* the memory is taken (so an automatic collection never
//!   sees a half-built object); lists, tuples (except `()`), classes, instances of GC classes,
//!   weakrefs, cells and user objects are tracked at creation, dicts once they hold something that
//!   may be tracked. Deallocation untracks first and calls `note_deallocation` (free-listed objects
//!   skip both counts, like CPython). The collector never frees: it calls `clear`, and reference
//!   counting frees. Generation-2 collections (automatic ones too) empty the free lists.
//! - **Finalizers**: `ClassSpec::with_del(|heap, obj| ..)` (PEP 442, once per object for GC
//!   classes, every death for non-GC ones; resurrection supported) and
//!   `ClassSpec::with_legacy_del` (`tp_del`: runs on every death; makes cyclic garbage
//!   uncollectable, it lands in `heap.gc().garbage()`). Both run from deallocation and from the
//!   collector. **Weakref callbacks**: `heap.weakref(&obj, Some(Heap::obj_fn(|heap, wr| ..)))`,
//!   called once, after the weakref is cleared. Panics in any of them are caught and reported
//!   as `Exception ignored in: <...>` (stderr, or `heap.set_unraisable_hook`).
//! - **Trashcan** (`trashcan.rs`): container deallocation never recurses — a container dying
//!   inside another's dealloc is threaded through its dead refcount word and destroyed by the
//!   outermost dealloc's loop, in CPython's depth-first order. Objects whose count reaches zero
//!   while a user `traverse`, a collection phase or an introspection walk runs wait on a pending
//!   queue (alive) until it ends.
//! - **Choices**: ints are an inline i64 while they fit and 32-bit digits beyond (num-bigint
//!   does the big arithmetic; `heap.int_add(&a, &b)?` and friends promote); tuples are
//!   tracked at birth and untracked by the collector when they hold only atoms (CPython ≤ 3.14.0);
//!   dicts are tracked lazily and untracked by full collections (≤ 3.13); interned strings and the
//!   preallocated objects are immortal (`getrefcount` reports 2^62); instance attributes live in
//!   an out-of-line table owned by the instance (no dict object: CPython 3.11+ object counts).
//!
//! # Safety model
//! Safe code cannot cause undefined behaviour: handles borrow their heap (cannot outlive it),
//! are `!Send`/`!Sync`, are checked against the heap they are stored into (`ForeignObject`), user
//! values are guarded by a borrow flag (`Borrowed`), and finalizer/callback panics are caught.
//! The raw API (`Obj::from_owned`, `from_borrowed`) is `unsafe`; misuse of it (refcount
//! underflow, use after free) is detected in debug builds with a panic naming the type.
//!
//! **User code inside built-in operations.** User code runs wherever the runtime calls out
//! (`UserType::traverse`/`clear`/`py_eq`/`py_hash`/`repr`, finalizers, weakref callbacks) and,
//! through any decref, wherever a finalizer can be reached. It may do anything there: drop
//! members, clear or grow the container being worked on, allocate, collect, resurrect. The
//! built-in operations never keep a raw pointer into a container across such a call: `==` of
//! lists, tuples and dicts, dict `set`/`get`/`remove`/`contains`, `repr` of containers and dict
//! iteration hold strong references to the entries they work on and re-read the container
//! afterwards, as CPython does (`list_richcompare` re-reads the lengths after each item;
//! `lookdict` restarts when the entry it compared changed). The outcome is CPython's for the
//! same mutation (a list cleared during `==` compares unequal by length, a lookup whose key
//! vanished restarts on the new table), not an error; dict iteration reports
//! `DictChangedSize`/`DictKeysChanged` ([`DictIter`]).
//!
//! **Recursion.** Every recursive operation (`==`, `hash` of tuples, `repr`) counts against the
//! heap's recursion limit ([`Heap::set_recursion_limit`], default 1000) and fails with
//! `RuntimeError::Recursion` and CPython's message; front ends share the counter
//! ([`Heap::enter_recursion`]). Self-containing containers print as `[[...]]`.
//!
//! **User code that reaches the heap inside `traverse`.** A user type holding its heap (a
//! [`Root`], an `Rc<Heap>`) can allocate, collect or freeze from its `traverse` while a collection
//! keeps gc_refs in the generation lists. What dies then waits on the pending queue until the
//! collection ends; what is tracked then waits on the gc crate's nursery and joins generation 0
//! afterwards, unexamined; a nested `collect` returns 0; `freeze`/`unfreeze` are refused. The
//! collection's answer is still unspecified when such code takes new references to candidates
//! (a live object may be `clear`ed), never unsound.
//!
//! **Not guaranteed.** (1) A limit set far above the default can still overflow the native stack
//! on a deep enough nest: the process aborts (Rust's guard page; no undefined behaviour), as
//! CPython crashes with a too-high `sys.setrecursionlimit`. (2) A lookup restarts for as long as
//! user eq keeps mutating the dict (CPython too), so hostile code can make it loop forever.
//! (3) A panic in `py_eq`/`py_hash` propagates to the caller of the operation; the heap stays
//! consistent and the dict unchanged by the failed call (panics in repr, traverse, clear,
//! finalizers and callbacks are caught and reported). (4) Dict iteration does not notice every
//! mutation CPython would (see [`DictIter`]); what it yields is always live.
//!
//! Tested by the modules `reentrancy` (issue 9's cases, which failed before the fix), `deferred`,
//! `heap_in_traverse`, `recursion` and `prop_hostile` (thousands of random hostile cases) of
//! `runtime/tests/suite/`, and by Miri over the runtime's suite (`.ci/sanitizers miri`, Stacked Borrows).

#![warn(missing_docs)]

mod builtins;
mod call;
mod error;
mod gc;
mod handle;
mod heap;
mod introspect;
mod member;
mod model;
pub mod object;
mod profile;
mod recursion;
mod refcount;
mod root;
mod sizes;
mod trashcan;
mod tunables;
mod types;

pub use builtins::cell::CellObj;
pub use builtins::class::{Class, ClassSpec};
pub use builtins::dict::{Dict, DictCursor, DictIter};
pub use builtins::float::repr as repr_float;
pub use builtins::instance::Instance;
pub use builtins::int::IntValue;
pub use builtins::list::List;
pub use builtins::listops::{KeyFn, ListIter, LtFn};
pub use builtins::native::NativeBase;
pub use builtins::setops::{Set, SetIter};
pub use builtins::str::{Str, repr_str};
pub use builtins::tuple::Tuple;
pub use builtins::user::{EqHash, User, UserRef, UserRefMut, UserType, Visitor};
pub use builtins::weakref::WeakRef;
pub use call::CallHook;
pub use error::{PyException, RuntimeError};
pub use gc::Gc;
pub use handle::{AsObj, Obj};
pub use heap::{ArenaCounts, FreeListSizes, Heap, UnraisableHook};
pub use introspect::HeapInvariantError;
pub use member::Member;
pub use profile::{AllocatorLayout, GcStartState, LayoutFacts, Like, UnknownLike};
pub use recursion::{RecursionGuard, RecursionKind};
pub use root::Root;
pub use sizes::{PYTHON_EXPRESSIONS, SizeRow, size_table};
pub use tunables::DEFAULT_RECURSION_LIMIT;
pub use types::{Kind, ObjFn, TypeObject};
