//! What Python can do with a dict view (`objects::dictview`): `len`, `in`, repr, iteration
//! (the VM's live `IterKind::Dict`), and for keys and items views the set algebra and the
//! subset comparisons of CPython's `dictviews_*` functions.
//!
//! ```text
//!   d.keys() & other ──► a new set: the view's items that are in other (walking the smaller)
//!   d.keys() - other ──► set(view), then difference_update(other)      (| and ^ alike)
//!   d.items() <= s   ──► len(view) <= len(s) and every item of the view is in s
//! ```

use crate::bytecode::{BinOp, CmpOp};
use crate::objects::dictview::{self, ViewWhat};
use crate::vm::{Args, Ctx, PyResult};
use pyheap_runtime::{Obj, Set};

impl<'h> Ctx<'h> {
    /// `d.keys()`, `d.values()` or `d.items()` of dict `d`.
    pub fn new_view(&self, d: &Obj<'h>, what: ViewWhat) -> PyResult<'h> {
        Ok(dictview::new_view(self.heap, d, what)?)
    }

    /// The dict and the part a view shows; `None` when `o` is not a view.
    pub fn view_of(&self, o: &Obj<'h>) -> PyResult<'h, Option<(Obj<'h>, ViewWhat)>> {
        if o.kind() != pyheap_runtime::Kind::User {
            return Ok(None);
        }
        Ok(dictview::view_of(self.heap, o)?)
    }

    /// A keys or items view (the set-like ones), else `None`.
    fn set_like_view(&self, o: &Obj<'h>) -> PyResult<'h, Option<(Obj<'h>, ViewWhat)>> {
        Ok(self.view_of(o)?.filter(|(_, w)| *w != ViewWhat::Values))
    }

    /// `len(view)`.
    pub fn view_len(&self, o: &Obj<'h>) -> PyResult<'h, Option<usize>> {
        Ok(match self.view_of(o)? {
            Some((d, _)) => Some(d.as_dict()?.len()),
            None => None,
        })
    }

    /// `x in view`: a key lookup, `(k, v)` pairs for items, an `==` walk for values.
    pub fn view_contains(&self, o: &Obj<'h>, x: &Obj<'h>) -> PyResult<'h, Option<bool>> {
        let Some((d, what)) = self.view_of(o)? else {
            return Ok(None);
        };
        let d = d.as_dict()?;
        Ok(Some(match what {
            ViewWhat::Keys => self.dict_get(d, x)?.is_some(),
            ViewWhat::Items => match x.as_tuple() {
                Ok(t) if t.len() == 2 => match self.dict_get(d, &t.get(0)?)? {
                    Some(v) => self.eq(&v, &t.get(1)?)?,
                    None => false,
                },
                _ => false,
            },
            ViewWhat::Values => {
                for v in d.values() {
                    if self.eq(&v, x)? {
                        return Ok(Some(true));
                    }
                }
                false
            }
        }))
    }

    /// `repr(view)`: `dict_keys([1, 2])`; a view met again inside itself shows as `...`.
    pub fn view_repr(&self, o: &Obj<'h>) -> PyResult<'h, Option<String>> {
        let Some((_, what)) = self.view_of(o)? else {
            return Ok(None);
        };
        let id = self.heap.id(o);
        if self.repr_stack.borrow().contains(&id) {
            return Ok(Some("...".into()));
        }
        self.repr_stack.borrow_mut().push(id);
        let items = self
            .collect(o)
            .and_then(|v| self.repr(&self.heap.list(&v)?.into_obj()));
        self.repr_stack.borrow_mut().pop();
        Ok(Some(format!("{}({})", what.type_name(), items?)))
    }

    /// `a op b` for `& | - ^` when either side is a keys or items view: always a new `set`.
    pub fn view_op(&self, op: BinOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        if !matches!(op, BinOp::And | BinOp::Or | BinOp::Sub | BinOp::Xor)
            || (self.set_like_view(a)?.is_none() && self.set_like_view(b)?.is_none())
        {
            return Ok(None);
        }
        if op == BinOp::And {
            return self.view_intersection(a, b).map(|s| Some(s.into_obj()));
        }
        let r = self.set_from(a, false)?;
        if op == BinOp::Or && b.as_set().is_err() {
            // set.update walks a non-set operand itself (its order, not a temporary set's).
            let it = self.iter(b)?;
            while let Some(x) = self.next(&it)? {
                r.add(&x)?;
            }
            return Ok(Some(r.into_obj()));
        }
        let other = self.as_set_arg(b)?;
        match op {
            BinOp::Or => r.update(&other)?,
            BinOp::Sub => r.difference_update(&other)?,
            _ => r.symmetric_difference_update(&other)?,
        }
        Ok(Some(r.into_obj()))
    }

    /// CPython's `_PyDictView_Intersect`, whose walk decides the result's insertion order: a
    /// set at least as large as the view is intersected with the view (the view walked);
    /// otherwise the other operand is walked (the smaller view of two), each item kept when the
    /// view contains it.
    fn view_intersection(&self, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Set<'h>> {
        let (mut this, mut other) = if self.set_like_view(a)?.is_some() {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        let n = self.len(&this)?;
        let r = self.heap.set(&[])?;
        if let Ok(s) = other.as_set()
            && !s.is_frozen()
            && n <= s.len()
        {
            let it = self.iter(&this)?;
            while let Some(x) = self.next(&it)? {
                if s.contains(&x)? {
                    r.add(&x)?;
                }
            }
            return Ok(r);
        }
        if self.set_like_view(&other)?.is_some() && self.len(&other)? > n {
            std::mem::swap(&mut this, &mut other);
        }
        let it = self.iter(&other)?;
        while let Some(x) = self.next(&it)? {
            if self.contains(&this, &x)? {
                r.add(&x)?;
            }
        }
        Ok(r)
    }

    /// Comparisons of a keys or items view with a set, frozenset or such a view (either
    /// side); `None` for anything else (then `==` is identity, `<` a TypeError).
    pub fn view_cmp(&self, op: CmpOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<bool>> {
        let set_like = |o: &Obj<'h>| -> PyResult<'h, bool> {
            Ok(o.as_set().is_ok() || self.set_like_view(o)?.is_some())
        };
        let (this, other, op) = if self.set_like_view(a)?.is_some() {
            (a, b, op)
        } else if self.set_like_view(b)?.is_some() {
            (b, a, op.swapped())
        } else {
            return Ok(None);
        };
        if !set_like(other)? {
            return Ok(None);
        }
        let (n, m) = (self.len(this)?, self.len(other)?);
        Ok(Some(match op {
            CmpOp::Eq => n == m && self.all_in(this, other)?,
            CmpOp::Ne => !(n == m && self.all_in(this, other)?),
            CmpOp::Lt => n < m && self.all_in(this, other)?,
            CmpOp::Le => n <= m && self.all_in(this, other)?,
            CmpOp::Gt => n > m && self.all_in(other, this)?,
            CmpOp::Ge => n >= m && self.all_in(other, this)?,
        }))
    }

    /// Every item of `a` is in `b`.
    fn all_in(&self, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, bool> {
        let it = self.iter(a)?;
        while let Some(x) = self.next(&it)? {
            if !self.contains(b, &x)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// The methods of keys and items views.
pub const METHODS: super::Table = table! { "isdisjoint" => isdisjoint };

/// `view.isdisjoint(iterable)`: no item of the iterable is in the view.
fn isdisjoint<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("isdisjoint", 2, 2)?;
    let it = ctx.iter(&a.pos[1])?;
    while let Some(x) = ctx.next(&it)? {
        if ctx.contains(&a.pos[0], &x)? {
            return Ok(ctx.bool(false));
        }
    }
    Ok(ctx.bool(true))
}
