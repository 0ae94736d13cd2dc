//! Short paths that opcode handlers try before the general machinery, for the shapes hot loops
//! take: a call of a built-in function whose arguments already sit on the value stack, the
//! built-in type of a value without a round trip through its class object, f-string pieces
//! written straight into the result str, float arithmetic (the result takes over a spent
//! operand's object when nothing else refers to it), and list/tuple items by int index.
//!
//! A few of them run two or three instructions at once when the next ones in the code are the
//! usual companions (`LoadFast a; LoadConst 0; Subscr` is `a[0]`, `BuildSlice(2); Subscr` is
//! `s[a:b]`), and only when nothing can
//! fail: then no error needs the position of an instruction that was skipped. Line tracing
//! turns them off (the handlers pass `tracing`), so every instruction still reports itself.
//!
//! ```text
//!   value stack before CallMethod(n) on a native:  … │ callee │ self │ a1 … an │
//!                                                       ^callee_at ^args_at
//!   the native sees pos = stack[args_at..] (no Vec); afterwards the stack is
//!                                                  … │ result │
//! ```
//! Each helper either does the whole operation with the same result, errors and reference
//! counts the general path would produce, or leaves everything untouched and says so (`false`
//! / `None`), so the handler falls back.

use super::{Args, Ctx, PyResult, Ty};
use crate::bytecode::{BinOp, Op};
use crate::objects::function::Builtin;
use pyheap_runtime::Member;
use pyheap_runtime::{IntValue, Kind, Obj};

impl<'h> Ctx<'h> {
    /// Call `stack[callee_at]` with `stack[args_at..]` as its positional arguments when it is a
    /// built-in function with no bound object: the native borrows the arguments in place, then
    /// callee and arguments are dropped and the result pushed. `Ok(false)`, stack untouched,
    /// for any other callee, for natives reading the frame (`sys._getframe`, `locals`) and while
    /// frames wait for their `f_back`.
    #[inline]
    pub(super) fn call_native_on_stack(
        &self,
        stack: &mut Vec<Obj<'h>>,
        callee_at: usize,
        args_at: usize,
    ) -> PyResult<'h, bool> {
        let Some(b) = stack[callee_at].downcast_user::<Builtin>() else {
            return Ok(false);
        };
        // The general path links frames waiting for their `f_back` and answers the natives
        // that read the calling frame (`sys._getframe`, `locals()`: the loop's frames).
        if self.unlinked_n.get() != 0 {
            return Ok(false);
        }
        let nf = {
            let b = b.borrow()?;
            // Bound natives, and type methods called on an instance (`list.append(stack, x)`
            // acts on its built-in value), take the general path.
            if b.bound.is_some()
                || b.reads_frame
                || (b.method
                    && stack
                        .get(args_at)
                        .is_some_and(|o| o.kind() == Kind::Instance))
            {
                return Ok(false);
            }
            b.f
        };
        let r = nf(
            self,
            Args {
                pos: &stack[args_at..],
                kw: &[],
            },
        );
        stack.truncate(callee_at);
        stack.push(r?);
        Ok(true)
    }

    /// The built-in type of a value whose kind names it (every kind but instances, classes and
    /// user types): what `builtin_ty(&type_of(o))` answers, without the class object.
    #[inline]
    pub fn builtin_kind_ty(o: &Obj<'h>) -> Option<Ty> {
        Some(match o.kind() {
            Kind::None => Ty::NoneType,
            Kind::Bool => Ty::Bool,
            Kind::Int => Ty::Int,
            Kind::Float => Ty::Float,
            Kind::Str => Ty::Str,
            Kind::Tuple => Ty::Tuple,
            Kind::List => Ty::List,
            Kind::Dict => Ty::Dict,
            Kind::WeakRef => Ty::WeakRef,
            Kind::Cell => Ty::Cell,
            Kind::Set => Ty::Set,
            Kind::FrozenSet => Ty::FrozenSet,
            Kind::Instance | Kind::Class | Kind::User => return None,
        })
    }

    /// `FormatValue` with no conversion and no spec, for the values whose `format(v, '')` is
    /// known: a str stays as it is (CPython keeps an exact str too), an int that fits an i64
    /// becomes its decimal digits, written into the str without a `String`. `false`, stack
    /// untouched, for anything else.
    #[inline]
    pub(super) fn format_plain_on_stack(&self, stack: &mut [Obj<'h>]) -> PyResult<'h, bool> {
        let top = stack.last_mut().expect("stack");
        match top.kind() {
            Kind::Str => Ok(true),
            Kind::Int => match top.int_value()? {
                IntValue::Small(v) => {
                    let mut buf = [0u8; 20];
                    let digits = decimal(v, &mut buf);
                    *top = self
                        .heap
                        .str_with(digits.len(), |b| b.copy_from_slice(digits))?
                        .into_obj();
                    Ok(true)
                }
                IntValue::Big { .. } => Ok(false),
            },
            _ => Ok(false),
        }
    }

    /// `BuildString(n)`: the top `n` strs joined into one new str, each copied once (one
    /// piece is the result itself, as in CPython).
    #[inline]
    pub(super) fn build_string_on_stack(
        &self,
        stack: &mut Vec<Obj<'h>>,
        n: usize,
    ) -> PyResult<'h, ()> {
        if n == 1 {
            return Ok(());
        }
        let at = stack.len() - n;
        let r = {
            let mut parts: [&str; 8] = [""; 8];
            if n <= parts.len() {
                for (p, o) in parts.iter_mut().zip(&stack[at..]) {
                    *p = o.str_value()?;
                }
                self.heap.str_concat(&parts[..n])?
            } else {
                let parts = stack[at..]
                    .iter()
                    .map(|o| o.str_value())
                    .collect::<Result<Vec<_>, _>>()?;
                self.heap.str_concat(&parts)?
            }
        };
        stack.truncate(at);
        stack.push(r.into_obj());
        Ok(())
    }
}

impl<'h> Ctx<'h> {
    /// `Binary`/`Inplace` of two ints (see `num_pair`) or two floats for `+ - * /` (a zero
    /// divisor excepted: the general path raises); for floats the right operand is dropped, then the left one's object takes the result
    /// if the stack held its only reference ([`Heap::float_reusing`]), else the result comes
    /// from the float free list, where the right one may just have gone. `false`, stack
    /// untouched, for other operands.
    ///
    /// [`Heap::float_reusing`]: pyheap_runtime::Heap::float_reusing
    #[inline]
    pub(super) fn float_binary_on_stack(
        &self,
        op: BinOp,
        stack: &mut Vec<Obj<'h>>,
    ) -> PyResult<'h, bool> {
        let n = stack.len();
        let (a, b) = (&stack[n - 2], &stack[n - 1]);
        if a.kind() != Kind::Float || b.kind() != Kind::Float {
            let Some(r) = self.num_pair(op, a, b)? else {
                return Ok(false);
            };
            stack.truncate(n - 2);
            stack.push(r);
            return Ok(true);
        }
        let Some(r) = float_result(op, a.as_float()?, b.as_float()?) else {
            return Ok(false);
        };
        drop(stack.pop());
        let a = stack.pop().expect("stack");
        stack.push(self.heap.float_reusing(a, r)?);
        Ok(true)
    }

    /// `Subscr` of a list or tuple by an in-range int index: the item replaces the pair.
    /// `false`, stack untouched, otherwise (slices, other types, errors all go the general way).
    #[inline]
    pub(super) fn subscr_on_stack(&self, stack: &mut Vec<Obj<'h>>) -> PyResult<'h, bool> {
        let n = stack.len();
        let Some(v) = item(&stack[n - 2], &stack[n - 1])? else {
            return Ok(false);
        };
        stack.truncate(n - 2);
        stack.push(v);
        Ok(true)
    }

    /// `BuildSlice(2); Subscr` (stack `… o start stop`) on an ASCII str with bounds that are
    /// `None` or ints fitting an i64: the new str of bytes `start..stop` (clamped as Python
    /// clamps) replaces the three, without a slice object. `false`, stack untouched, otherwise
    /// (other types, non-ASCII text, other bounds: the general path). Out of line: inlined,
    /// its code in the loop cost the other ops more than the call costs here.
    #[inline(never)]
    pub(super) fn str_slice_on_stack(&self, stack: &mut Vec<Obj<'h>>) -> PyResult<'h, bool> {
        let n = stack.len();
        let (o, start, stop) = (&stack[n - 3], &stack[n - 2], &stack[n - 1]);
        if o.kind() != Kind::Str {
            return Ok(false);
        }
        let s = o.str_value()?;
        if !s.is_ascii() {
            return Ok(false);
        }
        let len = s.len() as i64;
        // A bound as a byte position (one byte per character): negative counts from the end,
        // then clamped into 0..=len, as `slice.indices` does for a step of 1.
        let bound = |b: &Obj<'h>, default: i64| -> Option<usize> {
            let v = if b.is_none() {
                default
            } else {
                small_index(b)?
            };
            let v = if v < 0 { v.saturating_add(len) } else { v };
            Some(v.clamp(0, len) as usize)
        };
        let (Some(a), Some(b)) = (bound(start, 0), bound(stop, len)) else {
            return Ok(false);
        };
        let r = self.heap.str(&s[a..b.max(a)])?.into_obj();
        stack.truncate(n - 3);
        stack.push(r);
        Ok(true)
    }

    /// `StoreSubscr` (stack `… value list index`) into a list at an in-range int index.
    /// `false`, stack untouched, otherwise.
    #[inline]
    pub(super) fn store_subscr_on_stack(&self, stack: &mut Vec<Obj<'h>>) -> PyResult<'h, bool> {
        let n = stack.len();
        if !set_list_item(&stack[n - 2], &stack[n - 1], &stack[n - 3])? {
            return Ok(false);
        }
        stack.truncate(n - 3);
        Ok(true)
    }
}

impl<'h> Ctx<'h> {
    /// Run `op` (at `*pc - 1`; `fast`: the frame's fast locals) together with the two
    /// instructions after it when they are one of the shapes below and the values allow it;
    /// `true` when it did (`*pc` then points past them), `false` with nothing changed otherwise
    /// (an unbound local included: its error belongs to the load).
    #[inline]
    pub(super) fn fused(
        &self,
        op: Op,
        pc: &mut usize,
        fast: &[Option<Obj<'h>>],
        stack: &mut Vec<Obj<'h>>,
        ops: &[Op],
        consts: &[Member],
    ) -> PyResult<'h, bool> {
        let Some(next) = ops.get(*pc..*pc + 2) else {
            return Ok(false);
        };
        let done = match (op, next) {
            // One test on the instruction after next keeps this off most loads.
            (Op::LoadFast(i), [_, Op::Subscr | Op::Binary(_) | Op::Inplace(_)]) => {
                match &fast[i as usize] {
                    Some(v) => self.load_fast_fused(v, next, fast, consts, stack)?,
                    None => false,
                }
            }
            (Op::Copy(2), [Op::Copy(2), Op::Subscr]) => self.copy_subscr_fused(stack)?,
            (Op::Swap(3), [Op::Swap(2), Op::StoreSubscr]) => self.swap_store_fused(stack)?,
            _ => false,
        };
        if done {
            *pc += 2;
        }
        Ok(done)
    }

    /// After `LoadFast` read `v`, with `next` the instructions that follow: run `v[const]`
    /// (`LoadConst c; Subscr`) or `v ⊕ w` for two floats or two ints (`LoadFast j` or
    /// `LoadConst c`, then `Binary` or `Inplace`: neither has an in-place form) in one go, pushing the result. Returns how many of the following instructions
    /// it ran (0: none, push `v` as usual).
    #[inline]
    pub(super) fn load_fast_fused(
        &self,
        v: &Obj<'h>,
        next: &[Op],
        fast: &[Option<Obj<'h>>],
        consts: &[Member],
        stack: &mut Vec<Obj<'h>>,
    ) -> PyResult<'h, bool> {
        let r = match *next {
            [Op::LoadConst(c), Op::Subscr, ..] => {
                let k = consts[c as usize].get(self.heap)?;
                item(v, &k)?
            }
            [Op::LoadFast(j), Op::Binary(op) | Op::Inplace(op), ..] => match &fast[j as usize] {
                Some(w) => self.num_pair(op, v, w)?,
                None => None,
            },
            [Op::LoadConst(c), Op::Binary(op) | Op::Inplace(op), ..] => {
                let w = consts[c as usize].get(self.heap)?;
                self.num_pair(op, v, &w)?
            }
            _ => None,
        };
        Ok(match r {
            Some(r) => {
                stack.push(r);
                true
            }
            None => false,
        })
    }

    /// `Copy(2); Copy(2); Subscr` (an augmented `o[k] ⊕= …` reading its target): push
    /// `o[k]` and keep `o, k` below it, when the item can be read without failing (lists and
    /// tuples by int index, dicts by str or int key); `false`, stack untouched, otherwise.
    #[inline]
    fn copy_subscr_fused(&self, stack: &mut Vec<Obj<'h>>) -> PyResult<'h, bool> {
        let n = stack.len();
        let (o, k) = (&stack[n - 2], &stack[n - 1]);
        let v = match o.kind() {
            // A key whose hash and eq are built in: the look-up runs no Python code. A missing
            // key goes the general way (KeyError).
            Kind::Dict if matches!(k.kind(), Kind::Str | Kind::Int) => o.as_dict()?.get(k)?,
            _ => item(o, k)?,
        };
        match v {
            Some(v) => {
                stack.push(v);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// `Swap(3); Swap(2); StoreSubscr` (an augmented `o[k] ⊕= …` writing back; stack
    /// `… o k result`): `o[k] = result` into a list at an in-range int index or a dict by a
    /// str or int key; `false`, stack untouched, otherwise.
    #[inline]
    fn swap_store_fused(&self, stack: &mut Vec<Obj<'h>>) -> PyResult<'h, bool> {
        let n = stack.len();
        let (o, k) = (&stack[n - 3], &stack[n - 2]);
        if o.kind() == Kind::Dict && matches!(k.kind(), Kind::Str | Kind::Int) {
            self.dict_set(o.as_dict()?, k, &stack[n - 1])?;
            stack.truncate(n - 3);
            return Ok(true);
        }
        if !set_list_item(o, k, &stack[n - 1])? {
            return Ok(false);
        }
        stack.truncate(n - 3);
        Ok(true)
    }

    /// `a ⊕ b` of two floats for `+ - * /`, or of two ints for `+ - * // %` (zero divisors
    /// excepted: the general path raises), else `None`.
    #[inline]
    fn num_pair(&self, op: BinOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        match (a.kind(), b.kind()) {
            (Kind::Float, Kind::Float) => match float_result(op, a.as_float()?, b.as_float()?) {
                Some(r) => Ok(Some(self.heap.float(r)?)),
                None => Ok(None),
            },
            (Kind::Int, Kind::Int) => {
                let h = self.heap;
                Ok(Some(match op {
                    BinOp::Add => h.int_add(a, b)?,
                    BinOp::Sub => h.int_sub(a, b)?,
                    BinOp::Mul => h.int_mul(a, b)?,
                    BinOp::FloorDiv | BinOp::Mod => match b.int_value()? {
                        IntValue::Small(0) => return Ok(None),
                        _ if op == BinOp::Mod => h.int_mod(a, b)?,
                        _ => h.int_floordiv(a, b)?,
                    },
                    _ => return Ok(None),
                }))
            }
            _ => Ok(None),
        }
    }
}

/// `x ⊕ y` for the float operators that cannot fail (`/` by zero excepted).
#[inline]
fn float_result(op: BinOp, x: f64, y: f64) -> Option<f64> {
    Some(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::TrueDiv if y != 0.0 => x / y,
        _ => return None,
    })
}

/// `o[k]` of a list or tuple at an in-range int index, else `None` (nothing can fail).
#[inline]
fn item<'h>(o: &Obj<'h>, k: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
    let Some(i) = small_index(k) else {
        return Ok(None);
    };
    Ok(match o.kind() {
        Kind::List => {
            let l = o.as_list()?;
            match in_range(i, l.len()) {
                Some(j) => Some(l.get(j)?),
                None => None,
            }
        }
        Kind::Tuple => {
            let t = o.as_tuple()?;
            match in_range(i, t.len()) {
                Some(j) => Some(t.get(j)?),
                None => None,
            }
        }
        _ => None,
    })
}

/// `o[k] = v` into a list at an in-range int index; `false`, nothing done, for anything else.
#[inline]
fn set_list_item<'h>(o: &Obj<'h>, k: &Obj<'h>, v: &Obj<'h>) -> PyResult<'h, bool> {
    if o.kind() != Kind::List {
        return Ok(false);
    }
    let Some(i) = small_index(k) else {
        return Ok(false);
    };
    let l = o.as_list()?;
    let Some(j) = in_range(i, l.len()) else {
        return Ok(false);
    };
    l.set(j, v)?;
    Ok(true)
}

/// An exact int index that fits an i64 (bools and big ints go the general way).
#[inline]
fn small_index(k: &Obj<'_>) -> Option<i64> {
    if k.kind() != Kind::Int {
        return None;
    }
    match k.int_value().ok()? {
        IntValue::Small(i) => Some(i),
        IntValue::Big { .. } => None,
    }
}

/// `i` as a position in a sequence of `len` items (negative counts from the end), if in range.
#[inline]
fn in_range(i: i64, len: usize) -> Option<i64> {
    let j = if i < 0 { i + len as i64 } else { i };
    (0..len as i64).contains(&j).then_some(j)
}

/// The decimal digits of `v` (ASCII) in the end of `buf` (20 bytes hold any i64 with its sign).
fn decimal(v: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    let mut m = v.unsigned_abs();
    loop {
        at -= 1;
        buf[at] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if v < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    &buf[at..]
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_matches_display() {
        let mut buf = [0u8; 20];
        for v in [0, 7, -7, 10, 36, -100, 1_234_567, i64::MAX, i64::MIN] {
            assert_eq!(super::decimal(v, &mut buf), v.to_string().as_bytes());
        }
    }
}
