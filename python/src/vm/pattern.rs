//! The tests of `match` statements that no other instruction expresses (PEP 634): is the
//! subject a sequence, a mapping, and the class pattern's look-up of `isinstance` plus the
//! attributes its sub-patterns match. The compiler builds everything else of a pattern from
//! ordinary instructions (comparisons, `len`, unpacking, subscripts).
//!
//! ```text
//!   case Point(1, y=v):   [subject, Point, ('y',)] MatchClass(1) → [(subject.x, subject.y)]
//!                         (or [None] when the subject is no Point or lacks an attribute)
//! ```

use super::{Ctx, ExcTy, PyResult, Ty, err};
use pyheap_runtime::Obj;

/// Built-in classes whose single positional sub-pattern matches the subject itself
/// (`case int(n)`), subclasses included.
const SELF_MATCHING: [Ty; 10] = [
    Ty::Bool,
    Ty::Bytes,
    Ty::Dict,
    Ty::Float,
    Ty::FrozenSet,
    Ty::Int,
    Ty::List,
    Ty::Set,
    Ty::Str,
    Ty::Tuple,
];

impl<'h> Ctx<'h> {
    /// Does a sequence pattern apply (a list, tuple or range, or a subclass; never str, bytes)?
    pub fn match_sequence(&self, o: &Obj<'h>) -> bool {
        let t = self.type_of(o);
        [Ty::List, Ty::Tuple, Ty::Range]
            .iter()
            .any(|&s| self.is_subclass(&t, &self.ty(s).obj()))
    }

    /// Does a mapping pattern apply (a dict or a subclass)?
    pub fn match_mapping(&self, o: &Obj<'h>) -> bool {
        let t = self.type_of(o);
        self.is_subclass(&t, &self.ty(Ty::Dict).obj())
    }

    /// A class pattern: `None` when `subject` is not an instance of `cls` or lacks one of the
    /// attributes; else the values its `npos` positional sub-patterns (named by
    /// `cls.__match_args__`) and its keyword sub-patterns (`names`) match, in that order.
    pub fn match_class(
        &self,
        subject: &Obj<'h>,
        cls: &Obj<'h>,
        npos: usize,
        names: &Obj<'h>,
    ) -> PyResult<'h, Option<Obj<'h>>> {
        if cls.as_class().is_err() {
            return err(ExcTy::TypeError, "called match pattern must be a type");
        }
        if !self.isinstance(subject, cls) {
            return Ok(None);
        }
        let cname = self.class_name(cls);
        let mut attrs = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        if npos > 0 {
            let (match_self, args) = match self.getattr(cls, "__match_args__") {
                Ok(m) => {
                    if m.as_tuple().is_err() {
                        let got = self.type_name(&m);
                        return err(
                            ExcTy::TypeError,
                            format!("{cname}.__match_args__ must be a tuple (got {got})"),
                        );
                    }
                    (false, m.as_tuple()?.to_vec())
                }
                Err(e) if self.raise_matches(&e, ExcTy::AttributeError) => {
                    let selfy = SELF_MATCHING
                        .iter()
                        .any(|&s| self.is_subclass(cls, &self.ty(s).obj()));
                    (selfy, vec![])
                }
                Err(e) => return Err(e),
            };
            let allowed = if match_self { 1 } else { args.len() };
            if allowed < npos {
                let s = if allowed == 1 { "" } else { "s" };
                return err(
                    ExcTy::TypeError,
                    format!("{cname}() accepts {allowed} positional sub-pattern{s} ({npos} given)"),
                );
            }
            if match_self {
                attrs.push(subject.clone());
            } else {
                for a in &args[..npos] {
                    let Ok(name) = a.str_value() else {
                        let got = self.type_name(a);
                        return err(
                            ExcTy::TypeError,
                            format!("__match_args__ elements must be strings (got {got})"),
                        );
                    };
                    let name = name.to_string();
                    match self.match_attr(subject, &cname, &name, &mut seen)? {
                        Some(v) => attrs.push(v),
                        None => return Ok(None),
                    }
                }
            }
        }
        for n in names.as_tuple()?.to_vec() {
            let name = n.str_value()?.to_string();
            match self.match_attr(subject, &cname, &name, &mut seen)? {
                Some(v) => attrs.push(v),
                None => return Ok(None),
            }
        }
        Ok(Some(self.heap.tuple(&attrs)?.into_obj()))
    }

    /// One attribute of a class pattern: `None` when the subject lacks it.
    fn match_attr(
        &self,
        subject: &Obj<'h>,
        cname: &str,
        name: &str,
        seen: &mut Vec<String>,
    ) -> PyResult<'h, Option<Obj<'h>>> {
        if seen.iter().any(|s| s == name) {
            return err(
                ExcTy::TypeError,
                format!("{cname}() got multiple sub-patterns for attribute '{name}'"),
            );
        }
        seen.push(name.to_string());
        match self.getattr(subject, name) {
            Ok(v) => Ok(Some(v)),
            Err(e) if self.raise_matches(&e, ExcTy::AttributeError) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
