//! User classes created at run time: a GC-tracked object holding the instances' type object and
//! the class attributes (so `A.a = A` is a cycle the collector must break).
//!
//! ```text
//!   [GcHead 16][ObjHeader 16][weaklist][data: *mut ClassData]
//!                                          └──▶ ClassData { ty: TypeObject (for instances),
//!                                                           attrs: [(name, strong ref)] }
//!   instance ──ty──▶ ClassData.ty ──class_obj──▶ class object     (every instance also holds a
//!                                                                 strong reference to its class)
//! ```

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::handle::typed_handle;
use crate::heap::{Heap, HeapInner};
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, RawObj, gc_head, payload, payload_ptr, type_of};
use crate::refcount::{decref, incref};
use crate::types::{Callback, Kind, TypeObject, flags};
use std::cell::{Cell, UnsafeCell};
use std::rc::Rc;

/// How to build a class: `heap.new_class(ClassSpec::new("A").with_del(|heap, obj| ...))`.
#[derive(Clone)]
pub struct ClassSpec {
    /// `__name__`.
    pub name: String,
    /// `__slots__`: `Some(names)` stores exactly these attributes inline; `None`: attribute table.
    pub slots: Option<Vec<String>>,
    /// PEP 442 `__del__` (`tp_finalize`): runs at most once per object for GC classes.
    pub del: Option<Callback>,
    /// Legacy `tp_del`: runs on every death; instances in cyclic garbage become uncollectable.
    pub legacy_del: Option<Callback>,
    /// Instances support weak references (adds one word).
    pub weakrefable: bool,
    /// Instances are GC-capable (false: no GC head, never tracked, like CPython's test_non_gc).
    pub gc: bool,
}

impl ClassSpec {
    /// A plain class: attribute table, weakrefable, GC-capable, no finalizers.
    pub fn new(name: &str) -> ClassSpec {
        ClassSpec {
            name: name.into(),
            slots: None,
            del: None,
            legacy_del: None,
            weakrefable: true,
            gc: true,
        }
    }
    /// Set `__slots__`.
    pub fn with_slots(mut self, names: &[&str]) -> Self {
        self.slots = Some(names.iter().map(|s| s.to_string()).collect());
        self
    }
    /// Set `__del__`.
    pub fn with_del(mut self, f: impl for<'a> Fn(&'a Heap, Obj<'a>) + 'static) -> Self {
        self.del = Some(Rc::new(f));
        self
    }
    /// Set a legacy `tp_del`.
    pub fn with_legacy_del(mut self, f: impl for<'a> Fn(&'a Heap, Obj<'a>) + 'static) -> Self {
        self.legacy_del = Some(Rc::new(f));
        self
    }
    /// Without weak reference support.
    pub fn without_weakrefs(mut self) -> Self {
        self.weakrefable = false;
        self
    }
    /// Instances are not GC-capable.
    pub fn non_gc(mut self) -> Self {
        self.gc = false;
        self
    }
}

pub(crate) struct ClassData {
    pub(crate) ty: TypeObject,
    pub(crate) attrs: UnsafeCell<Vec<(Box<str>, RawObj)>>,
}

#[repr(C)]
struct ClassBody {
    weaklist: Cell<usize>,
    data: *mut ClassData,
}
const BASIC: usize = HEADER_SIZE + 16;

pub(crate) fn class_type(heap: *const HeapInner) -> TypeObject {
    let mut t = TypeObject::new_builtin(
        "type",
        Kind::Class,
        flags::GC | flags::CONTAINER | flags::HAS_WEAKREFS,
        BASIC,
        0,
        dealloc,
        sizeof,
        heap,
    );
    t.weaklist_offset = HEADER_SIZE;
    t.traverse = Some(traverse);
    t.clear = Some(clear);
    t
}

/// # Safety
/// `op` is a live class object.
pub(crate) unsafe fn data<'a>(op: RawObj) -> &'a ClassData {
    // SAFETY: caller; data lives until the class dies.
    unsafe { &*payload::<ClassBody>(op).data }
}

unsafe fn sizeof(op: RawObj) -> usize {
    // SAFETY: live class.
    let d = unsafe { data(op) };
    GC_HEAD_SIZE + BASIC + std::mem::size_of::<ClassData>()
        // SAFETY: short read.
        + unsafe { &*d.attrs.get() }.capacity() * std::mem::size_of::<(Box<str>, RawObj)>()
}

unsafe fn traverse(op: RawObj, visit: &mut dyn FnMut(RawObj)) {
    // SAFETY: live class; visit runs no user code.
    for (_, v) in unsafe { &*data(op).attrs.get() } {
        visit(*v);
    }
}

unsafe fn clear(op: RawObj) {
    // SAFETY: live class; the table is detached before any decref.
    let attrs = std::mem::take(unsafe { &mut *data(op).attrs.get() });
    for (_, v) in attrs {
        // SAFETY: the table owned these references.
        unsafe { decref(v) };
    }
}

unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead class: no instance is left (each holds a reference).
    unsafe {
        let heap = &*type_of(op).heap;
        clear(op);
        drop(Box::from_raw(payload::<ClassBody>(op).data));
        heap.gc.note_deallocation();
        heap.free_object(op);
    }
}

typed_handle!(
    /// A class handle.
    Class,
    Kind::Class,
    "type",
    as_class
);

impl<'h> Class<'h> {
    fn d(&self) -> &ClassData {
        // SAFETY: live class.
        unsafe { data(self.as_raw()) }
    }
    /// `__name__`.
    pub fn name(&self) -> &str {
        self.d().ty.name()
    }
    /// The instances' type object.
    pub fn instance_type(&self) -> &TypeObject {
        &self.d().ty
    }
    /// `getattr(cls, name)`.
    pub fn getattr(&self, name: &str) -> Result<Obj<'h>> {
        self.lookup(name)
            .ok_or_else(|| RuntimeError::MissingAttribute {
                type_name: "type".into(),
                name: name.into(),
            })
    }
    pub(crate) fn lookup(&self, name: &str) -> Option<Obj<'h>> {
        // SAFETY: short read; values are live objects of this heap.
        unsafe { &*self.d().attrs.get() }
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| unsafe { Obj::from_borrowed(*v) })
    }
    /// The class's own attribute `name` (no error value on a miss; no MRO walk).
    pub fn get_own(&self, name: &str) -> Option<Obj<'h>> {
        self.lookup(name)
    }
    /// Remove the class's own attribute `name`; false when it has none.
    pub fn delattr(&self, name: &str) -> bool {
        // SAFETY: the &mut table lives inside this block only (no user code runs).
        let old = unsafe {
            let t = &mut *self.d().attrs.get();
            t.iter().position(|(k, _)| &**k == name).map(|i| t.remove(i).1)
        };
        match old {
            Some(o) => {
                // SAFETY: the table owned it.
                unsafe { decref(o) };
                true
            }
            None => false,
        }
    }
    /// The names of the class's own attributes, in definition order.
    pub fn attr_names(&self) -> Vec<String> {
        // SAFETY: short read of the table.
        unsafe { &*self.d().attrs.get() }.iter().map(|(k, _)| k.to_string()).collect()
    }
    /// `setattr(cls, name, v)`.
    pub fn setattr(&self, name: &str, v: &impl AsObj<'h>) -> Result<()> {
        let v = v.as_obj();
        v.check_heap(self.heap_inner())?;
        // SAFETY: v is live; the &mut table lives inside this block only (no user code).
        let old = unsafe {
            incref(v.as_raw());
            let t = &mut *self.d().attrs.get();
            match t.iter_mut().find(|(k, _)| &**k == name) {
                Some((_, slot)) => Some(std::mem::replace(slot, v.as_raw())),
                None => {
                    t.push((name.into(), v.as_raw()));
                    None
                }
            }
        };
        if let Some(o) = old {
            // SAFETY: the table owned it.
            unsafe { decref(o) };
        }
        Ok(())
    }
    /// Create an instance (`cls()`).
    pub fn instantiate(&self) -> Result<super::instance::Instance<'h>> {
        super::instance::new_instance(self)
    }
}

impl Heap {
    /// Create a class at run time.
    pub fn new_class(&self, spec: ClassSpec) -> Result<Class<'_>> {
        let inner = self.inner();
        let weak = spec.weakrefable;
        let nslots = spec.slots.as_ref().map(Vec::len);
        let mut fl = flags::CONTAINER | flags::BASE;
        if spec.gc {
            fl |= flags::GC;
        }
        if weak {
            fl |= flags::HAS_WEAKREFS;
        }
        if spec.del.is_some() {
            fl |= flags::HAS_FINALIZER;
        }
        if spec.legacy_del.is_some() {
            fl |= flags::HAS_LEGACY_DEL;
        }
        let basic = HEADER_SIZE + if weak { 8 } else { 0 } + 8 * nslots.unwrap_or(1);
        let mut ty = TypeObject::new_builtin(
            &spec.name,
            Kind::Instance,
            fl,
            basic,
            0,
            super::instance::dealloc,
            super::instance::sizeof,
            inner,
        );
        ty.weaklist_offset = if weak { HEADER_SIZE } else { 0 };
        ty.traverse = Some(super::instance::traverse);
        ty.clear = Some(super::instance::clear);
        ty.finalize = spec.del;
        ty.legacy_del = spec.legacy_del;
        ty.slots = spec
            .slots
            .map(|v| v.into_iter().map(String::into_boxed_str).collect());
        let data = Box::into_raw(Box::new(ClassData {
            ty,
            attrs: UnsafeCell::new(Vec::new()),
        }));
        let op = match inner.new_object(&inner.types.class, BASIC) {
            Ok(op) => op,
            Err(e) => {
                // SAFETY: not shared yet.
                drop(unsafe { Box::from_raw(data) });
                return Err(e);
            }
        };
        // SAFETY: fresh class object of BASIC bytes; data is ours.
        unsafe {
            payload_ptr(op).cast::<ClassBody>().write(ClassBody {
                weaklist: Cell::new(0),
                data,
            });
            (*data).ty.class_obj.set(Some(op));
            inner.gc.track(gc_head(op));
            Ok(Class(Obj::from_owned(op)))
        }
    }
}
