//! Attributes and types: `type(o)`, lookup along the MRO, descriptors (functions bind, static/class
//! methods, properties), instance attributes, and the native methods of built-in types.
//!
//! The MRO and lookup along it are the runtime's (`Class::mro`, `Class::lookup`).

use super::{Ctx, ExcTy, PyResult, Raise, Ty, err};
use crate::builtins::Marker;
use crate::objects::function::{Builtin, Function, Method, Super, WrapKind, Wrapper};
use crate::objects::misc::Module;
use pyheap_runtime::{Kind, Member, Obj};

impl<'h> Ctx<'h> {
    /// `type(o)`.
    pub fn type_of(&self, o: &Obj<'h>) -> Obj<'h> {
        let t = match o.kind() {
            Kind::Instance => return o.as_instance().expect("instance").class().into_obj(),
            Kind::Class => match o.as_class().ok().and_then(|c| c.metaclass()) {
                Some(m) => return m.into_obj(),
                None => Ty::Type,
            },
            Kind::User if matches!(o.type_name(), "iterator" | "range_iterator") => {
                return self.iterator_type(o);
            }
            Kind::User => self.user_ty(o),
            _ => Self::builtin_kind_ty(o).expect("a kind that names its type"),
        };
        self.ty(t).obj()
    }

    /// The type of an iterator: its own (`list_iterator`), or the plain `iterator`.
    fn iterator_type(&self, o: &Obj<'h>) -> Obj<'h> {
        let name = match o.downcast_user::<crate::objects::iter::Iter>() {
            Some(it) => it.borrow().ok().map(|b| b.name),
            None => Some(o.type_name()),
        };
        if let Some(name) = name
            && let Some((_, c)) = self.iter_types.iter().find(|(n, _)| *n == name)
        {
            return c.obj();
        }
        self.ty(Ty::Iterator).obj()
    }

    fn user_ty(&self, o: &Obj<'h>) -> Ty {
        match o.type_name() {
            "function" => Ty::Function,
            "builtin_function_or_method" => Ty::Builtin,
            "method" => Ty::Method,
            "code" => Ty::Code,
            "module" => Ty::Module,
            "generator" => Ty::Generator,
            "range" => Ty::Range,
            "iterator" => Ty::Iterator,
            "slice" => Ty::Slice,
            "super" => Ty::Super,
            "traceback" => Ty::Traceback,
            "marker" => match o
                .downcast_user::<Marker>()
                .and_then(|m| m.borrow().ok().map(|b| b.0))
            {
                Some("NotImplementedType") => Ty::NotImplementedType,
                _ => Ty::Ellipsis,
            },
            "bytes" => Ty::Bytes,
            "frame" => Ty::Frame,
            "dict_keys" => Ty::DictKeys,
            "dict_values" => Ty::DictValues,
            "dict_items" => Ty::DictItems,
            "member_descriptor" => Ty::MemberDescriptor,
            "getset_descriptor" => Ty::GetSetDescriptor,
            "descriptor" => match o
                .as_user::<Wrapper>()
                .ok()
                .and_then(|w| w.borrow().ok().map(|b| b.kind))
            {
                Some(WrapKind::StaticMethod) => Ty::StaticMethod,
                Some(WrapKind::ClassMethod) => Ty::ClassMethod,
                _ => Ty::Property,
            },
            _ => Ty::Object,
        }
    }

    /// `cls.__name__`.
    pub fn class_name(&self, cls: &Obj<'h>) -> String {
        match cls.as_class() {
            Ok(c) => c.name().to_string(),
            Err(_) => "?".into(),
        }
    }

    /// `cls.__mro__` as a vector (the class itself first): the runtime's C3 order.
    pub fn mro(&self, cls: &Obj<'h>) -> Vec<Obj<'h>> {
        match cls.as_class() {
            Ok(c) => c.mro().into_iter().map(|c| c.into_obj()).collect(),
            Err(_) => vec![cls.clone()],
        }
    }

    /// Look `name` up along `cls`'s MRO (the runtime's `_PyType_Lookup`).
    pub fn lookup_type(&self, cls: &Obj<'h>, name: &str) -> Option<Obj<'h>> {
        cls.as_class().ok()?.lookup(name)
    }

    /// A dunder looked up on the type of an instance (not on the instance).
    pub fn lookup_special(&self, o: &Obj<'h>, name: &str) -> Option<Obj<'h>> {
        if o.kind() == Kind::Class {
            // A class's type is its metaclass: its special methods (`__len__`, `__iter__`).
            return o.as_class().ok()?.metaclass()?.lookup(name);
        }
        if o.kind() != Kind::Instance {
            return None;
        }
        let cls = self.type_of(o);
        self.lookup_type(&cls, name)
    }

    /// `issubclass(a, b)`.
    pub fn is_subclass(&self, a: &Obj<'h>, b: &Obj<'h>) -> bool {
        if a.is(b) {
            return true;
        }
        if b.is(self.ty(Ty::Object)) {
            return a.kind() == Kind::Class;
        }
        match (a.as_class(), b.as_class()) {
            (Ok(x), Ok(y)) => x.is_subclass(y),
            _ => false,
        }
    }

    /// `isinstance(o, cls)`.
    pub fn isinstance(&self, o: &Obj<'h>, cls: &Obj<'h>) -> bool {
        let t = self.type_of(o);
        self.is_subclass(&t, cls)
    }

    /// `getattr(o, name)`.
    pub fn getattr(&self, o: &Obj<'h>, name: &str) -> PyResult<'h> {
        match o.kind() {
            Kind::Instance => {
                let cls = o.as_instance()?.class();
                if cls.defines_getattribute()
                    && let Some(ga) = cls.lookup("__getattribute__")
                {
                    return self.user_getattribute(o, &ga, name);
                }
                self.instance_getattr(o, name)
            }
            Kind::Class => match self.class_getattr(o, name) {
                // A metaclass's `__getattr__` answers for a missing class attribute.
                Err(e) if self.raise_matches(&e, ExcTy::AttributeError) => {
                    match self.lookup_special(o, "__getattr__") {
                        Some(g) => self.call1(&g, &[o.clone(), self.str(name)?]),
                        None => Err(e),
                    }
                }
                r => r,
            },
            _ => self.builtin_getattr(o, name),
        }
    }

    /// A class's own `__getattribute__`, then its `__getattr__` when that raises AttributeError
    /// (CPython's `slot_tp_getattr_hook`).
    fn user_getattribute(&self, o: &Obj<'h>, ga: &Obj<'h>, name: &str) -> PyResult<'h> {
        let n = self.str(name)?;
        match self.call1(ga, &[o.clone(), n.clone()]) {
            Err(e) if self.raise_matches(&e, ExcTy::AttributeError) => {
                match self.lookup_special(o, "__getattr__") {
                    Some(g) => self.call1(&g, &[o.clone(), n]),
                    None => Err(e),
                }
            }
            r => r,
        }
    }

    fn instance_getattr(&self, o: &Obj<'h>, name: &str) -> PyResult<'h> {
        match self.generic_getattr(o, name) {
            Err(e) if self.raise_matches(&e, ExcTy::AttributeError) => {
                if let Some(ga) = self.lookup_special(o, "__getattr__") {
                    return self.call1(&ga, &[o.clone(), self.str(name)?]);
                }
                Err(e)
            }
            r => r,
        }
    }

    /// `object.__getattribute__(o, name)`: data descriptors, the instance's own attributes,
    /// then the class's (bound), without `__getattr__`.
    pub fn generic_getattr(&self, o: &Obj<'h>, name: &str) -> PyResult<'h> {
        if o.kind() != Kind::Instance {
            return self.getattr(o, name);
        }
        let inst = o.as_instance()?;
        let cls = inst.class().into_obj();
        let d = self.lookup_type(&cls, name);
        if let Some(d) = &d
            && let Ok(w) = d.as_user::<Wrapper>()
        {
            let (kind, f) = {
                let b = w.borrow()?;
                (b.kind, b.f.as_ref().map(|m| m.get(self.heap)).transpose()?)
            };
            if kind == WrapKind::Property {
                return match f {
                    Some(f) => self.call1(&f, std::slice::from_ref(o)),
                    None => err(
                        ExcTy::AttributeError,
                        format!("property '{name}' has no getter"),
                    ),
                };
            }
        }
        // A user descriptor (an object whose class defines `__get__`): a data descriptor
        // (`__set__` or `__delete__` too) comes before the instance's own attributes.
        let desc = d.as_ref().and_then(|d| self.user_descriptor(d));
        if let (Some(d), Some((get, true))) = (&d, &desc) {
            return self.call1(get, &[d.clone(), o.clone(), cls]);
        }
        if let Some(v) = inst.get_own(name) {
            return Ok(v);
        }
        if let (Some(d), Some((get, false))) = (&d, &desc) {
            return self.call1(get, &[d.clone(), o.clone(), cls]);
        }
        // An unset slot: its member descriptor answers with the AttributeError.
        if let Some(d) = &d
            && d.is_user::<crate::builtins::members::MemberDescr>()
        {
            return self.unset_member(o, name);
        }
        if name == "__class__" {
            return Ok(cls);
        }
        if name == "__dict__"
            && let Some(dct) = inst.dict()?
        {
            return Ok(dct.into_obj());
        }
        if let Some(d) = d {
            return self.bind(d, o, &cls);
        }
        // `StopIteration.value`: the first argument (CPython sets it in `__init__`).
        if name == "value" && self.exc_matches(o, ExcTy::StopIteration) {
            return Ok(self
                .exc_args(o)?
                .first()
                .cloned()
                .unwrap_or_else(|| self.none()));
        }
        if let Some((n, f)) = self.builtin_classmethod_in_mro(&cls, name) {
            return self.bound_native(n, f, &cls);
        }
        // The special methods of the built-in classes along the MRO (`object.__repr__`).
        if let Some((_, n, f)) = self.builtin_method_in_mro(&cls, name) {
            return if crate::builtins::slot_methods::is_static(n) {
                self.native(n, f)
            } else {
                self.bound_native(n, f, &self.method_self(o, n))
            };
        }
        err(
            ExcTy::AttributeError,
            format!(
                "'{}' object has no attribute '{name}'",
                self.class_name(&cls)
            ),
        )
    }

    /// `d`'s `__get__` when `d` is a user descriptor (an instance whose class defines it), and
    /// whether it is a data descriptor (its class defines `__set__` or `__delete__` too).
    fn user_descriptor(&self, d: &Obj<'h>) -> Option<(Obj<'h>, bool)> {
        if d.kind() != Kind::Instance {
            return None;
        }
        let get = self.lookup_special(d, "__get__")?;
        let data = self.lookup_special(d, "__set__").is_some()
            || self.lookup_special(d, "__delete__").is_some();
        Some((get, data))
    }

    /// The class attribute `name` of `o`'s class when it is a user descriptor whose class
    /// defines `method` (`__set__`, `__delete__`): the descriptor and that method.
    fn descriptor_method(&self, d: Option<&Obj<'h>>, method: &str) -> Option<(Obj<'h>, Obj<'h>)> {
        let d = d.filter(|d| d.kind() == Kind::Instance)?;
        Some((d.clone(), self.lookup_special(d, method)?))
    }

    /// What a built-in type's method `name` found for `o` binds to: the built-in value of an
    /// instance of a class with a built-in base (`s.append` appends to the list), else `o`.
    fn method_self(&self, o: &Obj<'h>, name: &str) -> Obj<'h> {
        if crate::builtins::slot_methods::takes_instance(name) {
            return o.clone();
        }
        self.base_value(o).unwrap_or_else(|| o.clone())
    }

    /// The one object for built-in type `ty`'s method `n` (`list.append`, `object.__init__`):
    /// made on first use, then the same each time (`A.__init__ is object.__init__`).
    fn type_method(
        &self,
        ty: Ty,
        n: &'static str,
        f: crate::objects::function::NativeFn,
    ) -> PyResult<'h> {
        let slot = self.type_method_slot(ty, n, f)?;
        Ok(self.type_methods.borrow().slots[slot as usize].2.clone())
    }

    /// [`Ctx::type_method`]'s slot in [`Ctx::type_methods`](super::TypeMethods).
    fn type_method_slot(
        &self,
        ty: Ty,
        n: &'static str,
        f: crate::objects::function::NativeFn,
    ) -> PyResult<'h, u32> {
        // The table's own &'static name, by address: no allocation or string hash per lookup.
        let key = (ty, n.as_ptr() as usize);
        if let Some(&slot) = self.type_methods.borrow().index.get(&key) {
            return Ok(slot);
        }
        // CPython makes its types' method descriptors at start-up: making ours now must not
        // move the program's `gc.get_count()`.
        let m = self.heap.gc().without_counting(|| -> PyResult<'h> {
            if crate::builtins::slot_methods::is_static(n) {
                self.native(n, f)
            } else {
                let m = self.native_method(n, f)?;
                m.as_user::<Builtin>()?.borrow_mut()?.owner = Some(ty);
                Ok(m)
            }
        })?;
        let mut t = self.type_methods.borrow_mut();
        let slot = u32::try_from(t.slots.len()).expect("fewer than 2^32 built-in methods");
        t.slots.push((ty, key.1, m));
        t.index.insert(key, slot);
        Ok(slot)
    }

    /// The native method `name` of the first built-in class in `cls`'s MRO that has one.
    fn builtin_method_in_mro(
        &self,
        cls: &Obj<'h>,
        name: &str,
    ) -> Option<(Ty, &'static str, crate::objects::function::NativeFn)> {
        self.mro(cls)
            .iter()
            .filter_map(|c| self.builtin_ty(c))
            .find_map(|t| crate::builtins::methods::find(t, name).map(|(n, f)| (t, n, f)))
    }

    /// A class method of a built-in class along `cls`'s MRO (`MyInt.from_bytes`), bound to
    /// `cls` itself as CPython binds it.
    fn builtin_classmethod_in_mro(
        &self,
        cls: &Obj<'h>,
        name: &str,
    ) -> Option<(&'static str, crate::objects::function::NativeFn)> {
        self.mro(cls)
            .iter()
            .filter_map(|c| self.builtin_ty(c))
            .find_map(|t| crate::builtins::methods::find_classmethod(t, name))
    }

    /// Bind a class attribute found for instance `o` (functions become bound methods).
    fn bind(&self, d: Obj<'h>, o: &Obj<'h>, cls: &Obj<'h>) -> PyResult<'h> {
        if d.is_user::<Function>() {
            return self.bound_method(&d, o);
        }
        if let Some(b) = d.downcast_user::<Builtin>() {
            let (name, f, method) = {
                let b = b.borrow()?;
                (b.name, b.f, b.method && b.bound.is_none())
            };
            if method {
                return self.bound_native(name, f, &self.method_self(o, name));
            }
        }
        if let Some(w) = d.downcast_user::<Wrapper>() {
            let (kind, f) = {
                let b = w.borrow()?;
                (b.kind, b.f.as_ref().map(|m| m.get(self.heap)).transpose()?)
            };
            let f = f.unwrap_or_else(|| self.none());
            return match kind {
                WrapKind::StaticMethod => Ok(f),
                WrapKind::ClassMethod => self.bound_method(&f, cls),
                WrapKind::Property => self.call1(&f, std::slice::from_ref(o)),
            };
        }
        Ok(d)
    }

    pub fn bound_method(&self, f: &Obj<'h>, this: &Obj<'h>) -> PyResult<'h> {
        Ok(self
            .heap
            .new_user(Method {
                func: Member::new(f),
                this: Member::new(this),
            })?
            .into_obj())
    }

    fn class_getattr(&self, cls: &Obj<'h>, name: &str) -> PyResult<'h> {
        match name {
            "__name__" | "__qualname__" if cls.as_class()?.get_own(name).is_none() => {
                return self.str(&self.class_name(cls));
            }
            "__class__" => return Ok(self.type_of(cls)),
            // A class's own (not inherited); a user class without one gets an empty dict,
            // kept in its namespace (CPython's `type.__annotations__`).
            "__annotations__" if self.builtin_ty(cls).is_none() => {
                let c = cls.as_class()?;
                if let Some(a) = c.get_own(name) {
                    return Ok(a);
                }
                let d = self.heap.dict()?.into_obj();
                c.setattr(name, &d)?;
                return Ok(d);
            }
            // Not inherited: each class has its own (None without a docstring).
            "__doc__" => {
                return Ok(cls.as_class()?.get_own(name).unwrap_or_else(|| self.none()));
            }
            "__dict__" => return self.class_dict(cls),
            _ => {}
        }
        // A metaclass's data descriptor (a property) comes first (`builtins/metaclass.rs`).
        if let Some(v) = self.metaclass_attr(cls, name, true)? {
            return Ok(v);
        }
        if let Some(d) = self.lookup_type(cls, name) {
            if let Some(w) = d.downcast_user::<Wrapper>() {
                let (kind, f) = {
                    let b = w.borrow()?;
                    (b.kind, b.f.as_ref().map(|m| m.get(self.heap)).transpose()?)
                };
                let f = f.unwrap_or_else(|| self.none());
                return match kind {
                    WrapKind::StaticMethod => Ok(f),
                    WrapKind::ClassMethod => self.bound_method(&f, cls),
                    WrapKind::Property => Ok(d),
                };
            }
            if let Some((get, _)) = self.user_descriptor(&d) {
                return self.call1(&get, &[d, self.none(), cls.clone()]);
            }
            return Ok(d);
        }
        if let Some((n, f)) = self.builtin_classmethod_in_mro(cls, name) {
            return self.bound_native(n, f, cls);
        }
        // Methods of built-in types through the class: `list.append`, `str.join`, and those
        // a user class inherits from them (`A.__init__` is `object.__init__`).
        if let Some((t, n, f)) = self.builtin_method_in_mro(cls, name) {
            return self.type_method(t, n, f);
        }
        if let Some(v) = self.metaclass_attr(cls, name, false)? {
            return Ok(v);
        }
        if let Some(t) = self.builtin_ty(&self.type_of(cls))
            && let Some(f) = crate::builtins::methods::find(t, name)
        {
            return self.bound_native(f.0, f.1, cls);
        }
        err(
            ExcTy::AttributeError,
            format!(
                "type object '{}' has no attribute '{name}'",
                self.class_name(cls)
            ),
        )
    }

    pub(crate) fn bound_native(
        &self,
        name: &'static str,
        f: crate::objects::function::NativeFn,
        this: &Obj<'h>,
    ) -> PyResult<'h> {
        Ok(self
            .heap
            .new_user(Builtin {
                name,
                f,
                bound: Some(Member::new(this)),
                method: false,
                reads_frame: false,
                owner: None,
            })?
            .into_obj())
    }

    fn builtin_getattr(&self, o: &Obj<'h>, name: &str) -> PyResult<'h> {
        let t = self.type_of(o);
        let ty = self.builtin_ty(&t).unwrap_or(Ty::Object);
        if let Some(m) = o.downcast_user::<Module>() {
            let d = m.borrow()?.dict.get(self.heap)?;
            if name == "__dict__" {
                return Ok(d);
            }
            if let Some(v) = d.as_dict()?.get(&self.intern(name)?)? {
                return Ok(v);
            }
            let mname = m.borrow()?.name.clone();
            if let Some(v) = self.module_attr_on_demand(o, &mname, name)? {
                return Ok(v);
            }
            return err(
                ExcTy::AttributeError,
                format!("module '{mname}' has no attribute '{name}'"),
            );
        }
        if let Some(v) = crate::builtins::methods::attribute(self, ty, o, name)? {
            return Ok(v);
        }
        if crate::builtins::slot_methods::is_none_attr(ty, name) {
            return Ok(self.none());
        }
        if let Some((n, f)) = crate::builtins::methods::find(ty, name) {
            if crate::builtins::slot_methods::is_static(n) {
                return self.native(n, f);
            }
            return self.bound_native(n, f, o);
        }
        if let Some((n, f)) = crate::builtins::methods::find_classmethod(ty, name) {
            return self.bound_native(n, f, &t);
        }
        if name == "__class__" {
            return Ok(t);
        }
        err(
            ExcTy::AttributeError,
            format!("'{}' object has no attribute '{name}'", self.class_name(&t)),
        )
    }

    /// `LoadMethod` of name `i` of `code` on `o`: [`Ctx::load_method`], through the site's cache
    /// (`bytecode::MethodSite`) when `o` is a value of a built-in type: a hit is a kind
    /// comparison and a table read, no name search. The method of a built-in type depends only
    /// on the type and the name (`methods::find`), and values of subclasses are instances,
    /// which never match, so a hit answers what the look-up would.
    #[inline]
    pub fn load_method_at(
        &self,
        o: Obj<'h>,
        code: &crate::bytecode::CodeData,
        i: u32,
    ) -> PyResult<'h, (Obj<'h>, Option<Obj<'h>>)> {
        let site = code.method_sites[i as usize].get();
        if site.kind == Some(o.kind()) {
            let hit = self
                .type_methods
                .borrow()
                .slots
                .get(site.slot as usize)
                .filter(|e| Some(e.0) == site.ty && e.1 == site.name)
                .map(|e| e.2.clone());
            if let Some(m) = hit {
                return Ok((m, Some(o)));
            }
        }
        self.load_method_site(o, code, i)
    }

    /// [`Ctx::load_method_at`] past its cache: the look-up, filling the cache when it found a
    /// built-in type's method.
    #[inline(never)]
    fn load_method_site(
        &self,
        o: Obj<'h>,
        code: &crate::bytecode::CodeData,
        i: u32,
    ) -> PyResult<'h, (Obj<'h>, Option<Obj<'h>>)> {
        let name = &*code.name_strs[i as usize];
        if let Some(ty) = Self::builtin_kind_ty(&o)
            && let Some((n, f)) = crate::builtins::methods::find(ty, name)
        {
            let slot = self.type_method_slot(ty, n, f)?;
            code.method_sites[i as usize].set(crate::bytecode::MethodSite {
                kind: Some(o.kind()),
                ty: Some(ty),
                slot,
                name: n.as_ptr() as usize,
            });
            let m = self.type_methods.borrow().slots[slot as usize].2.clone();
            return Ok((m, Some(o)));
        }
        self.load_method(o, name)
    }

    /// For `LoadMethod`: `(function, Some(self))` when no bound method is needed.
    pub fn load_method(&self, o: Obj<'h>, name: &str) -> PyResult<'h, (Obj<'h>, Option<Obj<'h>>)> {
        match o.kind() {
            Kind::Instance => {
                let inst = o.as_instance()?;
                let cls = inst.class().into_obj();
                if let Some(d) = self.lookup_type(&cls, name)
                    && d.is_user::<Function>()
                    && !inst.class().defines_getattribute()
                    && inst.get_own(name).is_none()
                {
                    return Ok((d, Some(o)));
                }
            }
            Kind::Class | Kind::User => {}
            _ => {
                if let Some(ty) = Self::builtin_kind_ty(&o)
                    && let Some((n, f)) = crate::builtins::methods::find(ty, name)
                {
                    return Ok((self.type_method(ty, n, f)?, Some(o)));
                }
            }
        }
        if o.is_user::<Super>() {
            return Ok((self.getattr(&o, name)?, None));
        }
        Ok((self.getattr(&o, name)?, None))
    }

    /// A special method for `with` etc.: looked up on the type, bound to `o`.
    pub fn getattr_special(&self, o: &Obj<'h>, name: &str) -> PyResult<'h> {
        match self.lookup_special(o, name) {
            Some(f) => {
                let cls = self.type_of(o);
                self.bind(f, o, &cls)
            }
            None => self.getattr(o, name).map_err(|_| {
                Raise::New(
                    ExcTy::TypeError,
                    format!(
                        "'{}' object does not support the context manager protocol",
                        self.type_name(o)
                    ),
                )
            }),
        }
    }

    /// Call `type(o).name(o, *args)`, if the type defines it.
    /// An instance of a class with a built-in base falls back to the built-in type's method on
    /// its value (`builtins/subclass.rs`).
    pub fn call_special(&self, o: &Obj<'h>, name: &str, args: &[Obj<'h>]) -> Option<PyResult<'h>> {
        let Some(f) = self.lookup_special(o, name) else {
            return self.call_base_special(o, name, args);
        };
        let mut a = Vec::with_capacity(args.len() + 1);
        a.push(o.clone());
        a.extend_from_slice(args);
        Some(self.call(&f, a, vec![]))
    }

    /// `object.__setattr__(o, name, v)`: data descriptors (property setters), then the
    /// instance's own attribute table or slots, without the class's `__setattr__`.
    pub fn generic_setattr(&self, o: &Obj<'h>, name: &str, v: Obj<'h>) -> PyResult<'h, ()> {
        if o.kind() == Kind::Class {
            // `super().__setattr__` in a metaclass: the class's own store.
            return self.class_store(o, name, v);
        }
        if o.kind() != Kind::Instance {
            return self.setattr(o, name, v);
        }
        let cls = self.type_of(o);
        let d = self.lookup_type(&cls, name);
        if name == "__dict__" && o.as_instance()?.has_attr_table() {
            let Ok(dct) = v.as_dict() else {
                return err(
                    ExcTy::TypeError,
                    format!(
                        "__dict__ must be set to a dictionary, not a '{}'",
                        self.type_name(&v)
                    ),
                );
            };
            return Ok(o.as_instance()?.set_dict(dct)?);
        }
        if let Some((d, set)) = self.descriptor_method(d.as_ref(), "__set__") {
            return self.call1(&set, &[d, o.clone(), v]).map(|_| ());
        }
        if let Some(d) = d
            && let Ok(w) = d.as_user::<Wrapper>()
        {
            let (kind, fset) = {
                let b = w.borrow()?;
                (
                    b.kind,
                    b.fset.as_ref().map(|m| m.get(self.heap)).transpose()?,
                )
            };
            if kind == WrapKind::Property {
                return match fset {
                    Some(f) => self.call1(&f, &[o.clone(), v]).map(|_| ()),
                    None => err(
                        ExcTy::AttributeError,
                        format!(
                            "property '{name}' of '{}' object has no setter",
                            self.class_name(&cls)
                        ),
                    ),
                };
            }
        }
        self.instance_store(o, name, v)
    }

    /// The instance's own attribute table or slot takes `o.name = v` (the last step of
    /// `object.__setattr__`).
    fn instance_store(&self, o: &Obj<'h>, name: &str, v: Obj<'h>) -> PyResult<'h, ()> {
        o.as_instance()?.setattr(name, &v).map_err(|e| match e {
            pyheap_runtime::RuntimeError::NoSlot { type_name, name } => Raise::New(
                ExcTy::AttributeError,
                format!("'{type_name}' object has no attribute '{name}'"),
            ),
            e => e.into(),
        })
    }

    /// `StoreAttr` of name `i` of `code`: `setattr(o, name, v)`, skipping the class look-ups
    /// when the name's cache (`bytecode::AttrCache`) says that instances of `o`'s class take
    /// this store plainly: no `__setattr__`, no property and no user descriptor with `__set__`
    /// named `name` along the MRO, and `name` is not `__dict__`, at the class version of now. Anything else (other objects, other classes, a changed class) takes
    /// `setattr`, and fills the cache when the answer is a plain store.
    pub fn store_attr(
        &self,
        o: &Obj<'h>,
        code: &crate::bytecode::CodeData,
        i: u32,
        v: Obj<'h>,
    ) -> PyResult<'h, ()> {
        let name = &*code.name_strs[i as usize];
        if o.kind() != Kind::Instance {
            return self.setattr(o, name, v);
        }
        let slot = &code.attr_cache[i as usize];
        let ty = std::ptr::from_ref(o.type_object()) as usize;
        let class_version = self.heap.class_version();
        let c = slot.get();
        if c.ty == ty && c.class_version == class_version {
            return self.instance_store(o, name, v);
        }
        let cls = o.as_instance()?.class();
        let custom = cls.defines_setattr() && cls.lookup("__setattr__").is_some();
        // A property, a user descriptor with `__set__` or `__dict__` itself decide the store.
        let d = cls.lookup(name);
        let property = d.as_ref().is_some_and(|d| {
            d.downcast_user::<Wrapper>()
                .is_some_and(|w| w.borrow().map_or(true, |b| b.kind == WrapKind::Property))
        });
        let descriptor = self.descriptor_method(d.as_ref(), "__set__").is_some();
        if !custom && !property && !descriptor && name != "__dict__" {
            slot.set(crate::bytecode::AttrCache { ty, class_version });
        }
        self.setattr(o, name, v)
    }

    /// `setattr(o, name, v)`.
    pub fn setattr(&self, o: &Obj<'h>, name: &str, v: Obj<'h>) -> PyResult<'h, ()> {
        match o.kind() {
            Kind::Instance => {
                let cls = o.as_instance()?.class();
                if cls.defines_setattr()
                    && let Some(sa) = cls.lookup("__setattr__")
                {
                    return self
                        .call1(&sa, &[o.clone(), self.str(name)?, v])
                        .map(|_| ());
                }
                self.generic_setattr(o, name, v)
            }
            Kind::Class => {
                if let Some(sa) = self.lookup_special(o, "__setattr__") {
                    return self
                        .call1(&sa, &[o.clone(), self.str(name)?, v])
                        .map(|_| ());
                }
                self.class_store(o, name, v)
            }
            _ => {
                if let Some(f) = o.downcast_user::<Function>() {
                    if matches!(name, "__name__" | "__qualname__") {
                        let Ok(s) = v.str_value() else {
                            return err(
                                ExcTy::TypeError,
                                format!("{name} must be set to a string object"),
                            );
                        };
                        let mut b = f.borrow_mut()?;
                        if name == "__name__" {
                            b.name = s.to_string();
                        } else {
                            b.qualname = s.to_string();
                        }
                        return Ok(());
                    }
                    if name == "__annotations__" {
                        if !v.is_none() && v.kind() != Kind::Dict {
                            return err(
                                ExcTy::TypeError,
                                "__annotations__ must be set to a dict object",
                            );
                        }
                        f.borrow_mut()?.annotations = (!v.is_none()).then(|| Member::new(&v));
                        return Ok(());
                    }
                    let d = {
                        let b = f.borrow()?;
                        b.dict.as_ref().map(|m| m.get(self.heap)).transpose()?
                    };
                    let d = match d {
                        Some(d) => d,
                        None => {
                            let d = self.heap.dict()?.into_obj();
                            f.borrow_mut()?.dict = Some(Member::new(&d));
                            d
                        }
                    };
                    d.as_dict()?.set(&self.intern(name)?, &v)?;
                    return Ok(());
                }
                err(
                    ExcTy::AttributeError,
                    format!("'{}' object has no attribute '{name}'", self.type_name(o)),
                )
            }
        }
    }

    /// `object.__delattr__(o, name)`: property deleters, then the instance's own attribute,
    /// without the class's `__delattr__`.
    pub fn generic_delattr(&self, o: &Obj<'h>, name: &str) -> PyResult<'h, ()> {
        if o.kind() != Kind::Instance {
            return self.delattr(o, name);
        }
        let cls = self.type_of(o);
        let d = self.lookup_type(&cls, name);
        if let Some((d, del)) = self.descriptor_method(d.as_ref(), "__delete__") {
            return self.call1(&del, &[d, o.clone()]).map(|_| ());
        }
        if let Some(d) = &d
            && let Ok(w) = d.as_user::<Wrapper>()
        {
            let (kind, fdel) = {
                let b = w.borrow()?;
                (
                    b.kind,
                    b.fdel.as_ref().map(|m| m.get(self.heap)).transpose()?,
                )
            };
            if let Some(f) = fdel {
                return self.call1(&f, std::slice::from_ref(o)).map(|_| ());
            }
            if kind == WrapKind::Property {
                return err(
                    ExcTy::AttributeError,
                    format!(
                        "property '{name}' of '{}' object has no deleter",
                        self.class_name(&cls)
                    ),
                );
            }
        }
        // An unset slot: CPython's member descriptor says only the name.
        let member = d
            .as_ref()
            .is_some_and(|d| d.is_user::<crate::builtins::members::MemberDescr>());
        o.as_instance()?.delattr(name).map_err(|_| {
            let msg = if member {
                name.to_string()
            } else {
                format!(
                    "'{}' object has no attribute '{name}'",
                    self.class_name(&cls)
                )
            };
            Raise::New(ExcTy::AttributeError, msg)
        })
    }

    /// `delattr(o, name)`.
    pub fn delattr(&self, o: &Obj<'h>, name: &str) -> PyResult<'h, ()> {
        match o.kind() {
            Kind::Instance => {
                let cls = self.type_of(o);
                if let Some(da) = self.lookup_type(&cls, "__delattr__") {
                    return self.call1(&da, &[o.clone(), self.str(name)?]).map(|_| ());
                }
                self.generic_delattr(o, name)
            }
            Kind::Class => {
                if o.as_class()?.delattr(name).is_ok() {
                    Ok(())
                } else {
                    err(
                        ExcTy::AttributeError,
                        format!(
                            "type object '{}' has no attribute '{name}'",
                            self.class_name(o)
                        ),
                    )
                }
            }
            _ => err(
                ExcTy::AttributeError,
                format!("'{}' object has no attribute '{name}'", self.type_name(o)),
            ),
        }
    }

    /// Attribute lookup through `super(cls, obj)`.
    pub fn super_getattr(&self, s: &Obj<'h>, name: &str) -> PyResult<'h> {
        let (cls, obj) = {
            let b = s.as_user::<Super>()?.borrow()?;
            (b.cls.get(self.heap)?, b.obj.get(self.heap)?)
        };
        // `obj` a class below `cls` (a class method's `super()`): its own MRO; else its type's
        // (an instance, or a class as the instance of a metaclass).
        let as_type = obj.kind() == Kind::Class && self.is_subclass(&obj, &cls);
        let start = if as_type {
            obj.clone()
        } else {
            self.type_of(&obj)
        };
        let mro = self.mro(&start);
        let pos = mro
            .iter()
            .position(|c| c.is(&cls))
            .map_or(mro.len(), |p| p + 1);
        for c in &mro[pos..] {
            if let Some(v) = c.as_class()?.get_own(name) {
                if as_type {
                    if let Some(w) = v.downcast_user::<Wrapper>() {
                        let (kind, f) = {
                            let b = w.borrow()?;
                            (b.kind, b.f.as_ref().map(|m| m.get(self.heap)).transpose()?)
                        };
                        let f = f.unwrap_or_else(|| self.none());
                        return match kind {
                            WrapKind::ClassMethod => self.bound_method(&f, &obj),
                            _ => Ok(f),
                        };
                    }
                    return Ok(v);
                }
                return self.bind(v, &obj, &start);
            }
            if let Some(t) = self.builtin_ty(c)
                && let Some((n, f)) = crate::builtins::methods::find(t, name)
            {
                if crate::builtins::slot_methods::is_static(n) {
                    return self.native(n, f);
                }
                return self.bound_native(n, f, &self.method_self(&obj, n));
            }
        }
        err(
            ExcTy::AttributeError,
            format!("'super' object has no attribute '{name}'"),
        )
    }

    pub fn module_name(&self, m: &Obj<'h>) -> String {
        m.as_user::<Module>()
            .ok()
            .and_then(|m| m.borrow().ok().map(|b| b.name.clone()))
            .unwrap_or_default()
    }
}
