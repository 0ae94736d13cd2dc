//! `repr()`, `str()` and `format()`: built-in values print as CPython prints them (the
//! runtime's repr for leaves), containers recurse here so that instances inside them use their
//! `__repr__`, and a container met again while being printed shows as `[...]`.

use super::{Ctx, ExcTy, PyResult, err};
use crate::objects::function::{Builtin, Function, Method};
use crate::objects::generator::Generator;
use crate::objects::iter::{Iter, IterKind};
use pyheap_runtime::{Kind, Obj};

/// `ascii()` of a repr: non-ASCII characters escaped.
pub fn ascii(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else if (c as u32) < 0x10000 {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push_str(&format!("\\U{:08x}", c as u32));
        }
    }
    out
}

// repr(float) and repr(str) are the runtime's (`float::repr`, `str::repr_str`).
pub use pyheap_runtime::repr_float as float_repr;
pub use pyheap_runtime::repr_str as str_repr;

impl<'h> Ctx<'h> {
    /// `repr(o)`.
    pub fn repr(&self, o: &Obj<'h>) -> PyResult<'h, String> {
        match o.kind() {
            Kind::None | Kind::Bool => Ok(o.repr()),
            Kind::Int => Ok(self.heap.int_str(o)?),
            Kind::Float => Ok(float_repr(o.as_float()?)),
            Kind::Str => Ok(str_repr(o.str_value()?)),
            Kind::List | Kind::Tuple | Kind::Dict | Kind::Set | Kind::FrozenSet => {
                self.container_repr(o)
            }
            Kind::Instance => {
                if let Some(r) = self.call_special(o, "__repr__", &[]) {
                    let r = r?;
                    return match r.str_value() {
                        Ok(s) => Ok(s.to_string()),
                        Err(_) => err(
                            ExcTy::TypeError,
                            format!("__repr__ returned non-string (type {})", self.type_name(&r)),
                        ),
                    };
                }
                if self.is_exception_class(&self.type_of(o)) {
                    let args = self.exc_args(o)?;
                    let name = self.type_name(o);
                    let inner = if args.len() == 1 {
                        self.repr(&args[0])?
                    } else {
                        let r = self.repr(&self.heap.tuple(&args)?.into_obj())?;
                        r[1..r.len() - 1].trim_end_matches(',').to_string()
                    };
                    return Ok(format!("{name}({inner})"));
                }
                Ok(self.default_repr(o))
            }
            Kind::Class => {
                if let Some(r) = self.metaclass_repr(o) {
                    let r = r?;
                    return match r.str_value() {
                        Ok(s) => Ok(s.to_string()),
                        Err(_) => err(
                            ExcTy::TypeError,
                            format!("__repr__ returned non-string (type {})", self.type_name(&r)),
                        ),
                    };
                }
                if self.builtin_ty(o).is_some() || self.exc_types.iter().any(|c| c.is(o)) {
                    // Built-in types of a module say so (`<class 'itertools.count'>`).
                    return Ok(match self.class_module(o).as_str() {
                        "builtins" => format!("<class '{}'>", self.class_name(o)),
                        m => format!("<class '{m}.{}'>", self.class_name(o)),
                    });
                }
                Ok(format!(
                    "<class '{}.{}'>",
                    self.class_module(o),
                    self.class_qualname(o)
                ))
            }
            _ => self.user_repr(o),
        }
    }

    /// `object.__repr__` of an instance: `<module.Class object at 0x..>`.
    pub fn default_repr(&self, o: &Obj<'h>) -> String {
        let cls = self.type_of(o);
        let module = self.class_module(&cls);
        // Built-in classes print without their module (`<object object at 0x..>`).
        let prefix = if module == "builtins" {
            String::new()
        } else {
            format!("{module}.")
        };
        format!(
            "<{prefix}{} object at 0x{:x}>",
            self.class_qualname(&cls),
            self.heap.id(o)
        )
    }

    fn class_module(&self, cls: &Obj<'h>) -> String {
        cls.as_class()
            .ok()
            .and_then(|c| c.get_own("__module__"))
            .and_then(|m| m.str_value().ok().map(str::to_string))
            .unwrap_or_else(|| "builtins".into())
    }
    pub(crate) fn class_qualname(&self, cls: &Obj<'h>) -> String {
        cls.as_class()
            .ok()
            .and_then(|c| c.get_own("__qualname__"))
            .and_then(|m| m.str_value().ok().map(str::to_string))
            .unwrap_or_else(|| self.class_name(cls))
    }

    /// A `SyntaxError` made with location details (`msg` and `filename`/`lineno`): its `str`,
    /// `msg (file, line N)` as CPython's, or with `located` false just `msg` (a traceback's
    /// last line, after the located source line). None for other exceptions.
    pub fn syntax_error_str(&self, o: &Obj<'h>, located: bool) -> PyResult<'h, Option<String>> {
        if !self.exc_matches(o, ExcTy::SyntaxError) {
            return Ok(None);
        }
        let Ok(inst) = o.as_instance() else {
            return Ok(None);
        };
        let Some(msg) = inst.get_own("msg") else {
            return Ok(None);
        };
        let msg = self.str_of(&msg)?;
        if !located {
            return Ok(Some(msg));
        }
        let file = inst.get_own("filename").and_then(|f| {
            f.str_value()
                .ok()
                .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
        });
        let line = inst.get_own("lineno").and_then(|l| l.as_int().ok());
        Ok(Some(match (file, line) {
            (Some(f), Some(l)) => format!("{msg} ({f}, line {l})"),
            (Some(f), None) => format!("{msg} ({f})"),
            (None, Some(l)) => format!("{msg} (line {l})"),
            (None, None) => msg,
        }))
    }

    /// The `args` tuple of an exception instance.
    pub fn exc_args(&self, o: &Obj<'h>) -> PyResult<'h, Vec<Obj<'h>>> {
        Ok(match o.as_instance()?.get_own("args") {
            Some(a) => self.seq_items(&a)?,
            None => vec![],
        })
    }

    fn user_repr(&self, o: &Obj<'h>) -> PyResult<'h, String> {
        let addr = self.heap.id(o);
        if let Ok(f) = o.as_user::<Function>() {
            return Ok(format!("<function {} at 0x{addr:x}>", f.borrow()?.qualname));
        }
        if let Ok(b) = o.as_user::<Builtin>() {
            let b = b.borrow()?;
            return Ok(match &b.bound {
                Some(s) => format!(
                    "<built-in method {} of {} object at 0x{:x}>",
                    b.name,
                    self.type_name(&s.get(self.heap)?),
                    s.as_raw().as_ptr() as usize
                ),
                None => match b.owner {
                    Some(t) if b.name.starts_with("__") && b.name.ends_with("__") => format!(
                        "<slot wrapper '{}' of '{}' objects>",
                        b.name,
                        self.class_name(&self.ty(t).obj())
                    ),
                    Some(t) => format!(
                        "<method '{}' of '{}' objects>",
                        b.name,
                        self.class_name(&self.ty(t).obj())
                    ),
                    None => format!("<built-in function {}>", b.name),
                },
            });
        }
        if let Some(r) = self.member_repr(o)? {
            return Ok(r);
        }
        if o.is_user::<crate::objects::misc::Union>() {
            let parts = self
                .union_members(o)?
                .iter()
                .map(|m| {
                    if m.is_none() {
                        return "None".to_string();
                    }
                    let module = self.class_module(m);
                    let q = self.class_qualname(m);
                    if module == "builtins" {
                        q
                    } else {
                        format!("{module}.{q}")
                    }
                })
                .collect::<Vec<_>>();
            return Ok(parts.join(" | "));
        }
        if let Ok(m) = o.as_user::<Method>() {
            let (f, s) = {
                let m = m.borrow()?;
                (m.func.get(self.heap)?, m.this.get(self.heap)?)
            };
            let name = match f.as_user::<Function>() {
                Ok(f) => f.borrow()?.qualname.clone(),
                Err(_) => "?".into(),
            };
            return Ok(format!("<bound method {name} of {}>", self.repr(&s)?));
        }
        if let Ok(g) = o.as_user::<Generator>() {
            return Ok(format!(
                "<generator object {} at 0x{addr:x}>",
                g.borrow()?.qualname
            ));
        }
        if let Some(sl) = o.downcast_user::<crate::objects::misc::Slice>() {
            let parts = {
                let sl = sl.borrow()?;
                [&sl.start, &sl.stop, &sl.step].map(|m| m.get(self.heap))
            };
            let mut shown = Vec::with_capacity(3);
            for p in parts {
                shown.push(self.repr(&p?)?);
            }
            return Ok(format!("slice({})", shown.join(", ")));
        }
        if let Some(r) = self.view_repr(o)? {
            return Ok(r);
        }
        if o.is(&self.not_implemented) {
            return Ok("NotImplemented".into());
        }
        if o.is(&self.ellipsis) {
            return Ok("Ellipsis".into());
        }
        if o.kind() == Kind::WeakRef {
            let w = o.as_weakref()?;
            return Ok(match w.get() {
                Some(t) => format!(
                    "<weakref at 0x{addr:x}; to '{}' at 0x{:x}>",
                    self.type_name(&t),
                    self.heap.id(&t)
                ),
                None => format!("<weakref at 0x{addr:x}; dead>"),
            });
        }
        if let Some(it) = o.downcast_user::<Iter>() {
            // itertools.count and repeat show their state: `count(3)`, `repeat('a', 2)`.
            let state = match &it.borrow()?.kind {
                IterKind::Count { next, step } => Some((
                    "count",
                    next.get(self.heap)?,
                    Some(step.get(self.heap)?),
                    None,
                )),
                IterKind::Repeat { obj, left } => {
                    Some(("repeat", obj.get(self.heap)?, None, *left))
                }
                _ => None,
            };
            if let Some((what, first, step, left)) = state {
                let mut out = format!("{what}({}", self.repr(&first)?);
                // count's step shows unless it is the int 1.
                if let Some(step) =
                    step.filter(|s| !(s.kind() == Kind::Int && s.as_int().ok() == Some(1)))
                {
                    out += &format!(", {}", self.repr(&step)?);
                }
                if let Some(n) = left {
                    out += &format!(", {}", n.max(0));
                }
                return Ok(out + ")");
            }
            // CPython names the iterator's own type: `<list_iterator object at 0x...>`.
            let name = it.borrow().map(|b| b.name).unwrap_or("iterator");
            return Ok(format!("<{name} object at 0x{addr:x}>"));
        }
        let r = o.repr();
        if r.starts_with('<') {
            return Ok(r.replace("object at", &format!("{} at", "object")));
        }
        Ok(r)
    }

    fn container_repr(&self, o: &Obj<'h>) -> PyResult<'h, String> {
        let id = self.heap.id(o);
        if self.repr_stack.borrow().contains(&id) {
            return Ok(match o.kind() {
                Kind::List => "[...]",
                Kind::Dict => "{...}",
                _ => "...",
            }
            .into());
        }
        if self.repr_stack.borrow().len() > 200 {
            return err(
                ExcTy::RecursionError,
                "maximum recursion depth exceeded while getting the repr of an object",
            );
        }
        if self.builtin_len(o)? != Some(0) {
            self.repr_guard_first_use()?;
        }
        self.repr_stack.borrow_mut().push(id);
        let r = self.container_repr_inner(o);
        self.repr_stack.borrow_mut().pop();
        r
    }

    fn container_repr_inner(&self, o: &Obj<'h>) -> PyResult<'h, String> {
        let mut s = String::new();
        match o.kind() {
            Kind::List | Kind::Tuple => {
                let items = self.seq_items(o)?;
                let list = o.kind() == Kind::List;
                s.push(if list { '[' } else { '(' });
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    s.push_str(&self.repr(x)?);
                }
                if !list && items.len() == 1 {
                    s.push(',');
                }
                s.push(if list { ']' } else { ')' });
            }
            Kind::Dict => {
                s.push('{');
                for (i, (k, v)) in o.as_dict()?.items().iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    s.push_str(&self.repr(k)?);
                    s.push_str(": ");
                    s.push_str(&self.repr(v)?);
                }
                s.push('}');
            }
            _ => {
                let set = o.as_set()?;
                let (items, frozen) = (set.to_vec(), set.is_frozen());
                if items.is_empty() {
                    return Ok(if frozen {
                        "frozenset()".into()
                    } else {
                        "set()".into()
                    });
                }
                if frozen {
                    s.push_str("frozenset(");
                }
                s.push('{');
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    s.push_str(&self.repr(x)?);
                }
                s.push('}');
                if frozen {
                    s.push(')');
                }
            }
        }
        Ok(s)
    }

    /// `str(o)`.
    pub fn str_of(&self, o: &Obj<'h>) -> PyResult<'h, String> {
        match o.kind() {
            Kind::Str => Ok(o.str_value()?.to_string()),
            Kind::Instance => {
                if let Some(r) = self.call_special(o, "__str__", &[]) {
                    let r = r?;
                    return match r.str_value() {
                        Ok(s) => Ok(s.to_string()),
                        Err(_) => err(
                            ExcTy::TypeError,
                            format!("__str__ returned non-string (type {})", self.type_name(&r)),
                        ),
                    };
                }
                if self.is_exception_class(&self.type_of(o)) {
                    if let Some(s) = self.syntax_error_str(o, true)? {
                        return Ok(s);
                    }
                    let args = self.exc_args(o)?;
                    return match args.len() {
                        0 => Ok(String::new()),
                        1 => {
                            if self.exc_matches(o, ExcTy::KeyError) {
                                self.repr(&args[0])
                            } else {
                                self.str_of(&args[0])
                            }
                        }
                        _ => self.repr(&self.heap.tuple(&args)?.into_obj()),
                    };
                }
                self.repr(o)
            }
            _ => self.repr(o),
        }
    }

    /// `format(o, spec)`.
    pub fn format(&self, o: &Obj<'h>, spec: &str) -> PyResult<'h, String> {
        if o.kind() == Kind::Instance
            && let Some(r) = self.call_special(o, "__format__", &[self.str(spec)?])
        {
            return Ok(r?.str_value()?.to_string());
        }
        self.default_format(o, spec)
    }

    /// `format(o, spec)` without the class's own `__format__`: `object.__format__` for
    /// instances (`str(o)` for an empty spec, else a TypeError), the built-in formatting of
    /// built-in values.
    pub fn default_format(&self, o: &Obj<'h>, spec: &str) -> PyResult<'h, String> {
        if spec.is_empty() {
            return self.str_of(o);
        }
        if o.kind() == Kind::Instance {
            return err(
                ExcTy::TypeError,
                format!(
                    "unsupported format string passed to {}.__format__",
                    self.type_name(o)
                ),
            );
        }
        crate::builtins::format::format_spec(self, o, spec)
    }
}
