//! Numbers: int, bool and float arithmetic with Python's rules (floor division and modulo
//! round towards negative infinity, `/` is true division, `**` with a negative exponent gives
//! a float, mixed int/float promotes to float).
//!
//! ```text
//!   int ⊕ int ──▶ heap.int_add/int_sub/... (runtime: inline i64 fast path, digits beyond)
//!   bool & bool ──▶ bool (CPython's bool.__and__), else the int result
//!   int ⊕ float, float ⊕ float ──▶ both as f64 (an int too big for a float: OverflowError)
//! ```
//!
//! Ints are the runtime's arbitrary-size ints; this module adds nothing to them but the
//! dispatch and the float half.

use super::{Ctx, ExcTy, PyResult, err};
use crate::bytecode::BinOp;
use pyheap_runtime::{IntValue, Kind, Obj};

/// A number operand's kind and, for the common cases, its value.
#[derive(Clone, Copy)]
pub enum Num {
    /// An int (or bool) that fits an i64.
    I(i64),
    /// An int beyond the i64 range (operate on the object).
    Big,
    /// A float.
    F(f64),
}

/// `o` as a number (bool counts as int), if it is one.
#[inline]
pub fn num(o: &Obj<'_>) -> Option<Num> {
    match o.kind() {
        Kind::Int | Kind::Bool => Some(match o.int_value().ok()? {
            IntValue::Small(v) => Num::I(v),
            IntValue::Big { .. } => Num::Big,
        }),
        Kind::Float => o.as_float().ok().map(Num::F),
        _ => None,
    }
}

/// Is `o` an int or a bool?
#[inline]
pub fn is_int(o: &Obj<'_>) -> bool {
    matches!(o.kind(), Kind::Int | Kind::Bool)
}

/// Python's float `%`: the result takes the divisor's sign.
pub fn float_mod(a: f64, b: f64) -> f64 {
    let r = a % b;
    if r != 0.0 && ((r < 0.0) != (b < 0.0)) {
        r + b
    } else if r == 0.0 {
        0.0f64.copysign(b)
    } else {
        r
    }
}

impl<'h> Ctx<'h> {
    /// Arithmetic on two numbers; `None` when the operator does not apply to them (or either
    /// is not a number).
    #[inline]
    pub fn num_op(&self, op: BinOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        let (ia, ib) = (is_int(a), is_int(b));
        if ia && ib {
            return self.int_op(op, a, b);
        }
        if a.kind() == Kind::Float
            && b.kind() == Kind::Float
            && let (Ok(x), Ok(y)) = (a.as_float(), b.as_float())
            && matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul)
        {
            // float ⊕ float for the three operators that cannot fail but for memory.
            let r = match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                _ => x * y,
            };
            return Ok(Some(self.heap.float(r)?));
        }
        let fa = ia || a.kind() == Kind::Float;
        let fb = ib || b.kind() == Kind::Float;
        if !(fa && fb) {
            return Ok(None);
        }
        if matches!(
            op,
            BinOp::MatMul | BinOp::LShift | BinOp::RShift | BinOp::And | BinOp::Or | BinOp::Xor
        ) {
            return Ok(None);
        }
        let (x, y) = (self.to_f64(a)?, self.to_f64(b)?);
        self.float_op(op, x, y).map(Some)
    }

    /// `float(o)` of an int, bool or float (`OverflowError: int too large to convert to float`).
    #[inline]
    pub fn to_f64(&self, o: &Obj<'h>) -> PyResult<'h, f64> {
        match o.kind() {
            Kind::Float => Ok(o.as_float()?),
            _ => Ok(o.int_value()?.to_f64()?),
        }
    }

    #[inline]
    fn int_op(&self, op: BinOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        let h = self.heap;
        let both_bool = || a.kind() == Kind::Bool && b.kind() == Kind::Bool;
        Ok(Some(match op {
            BinOp::Add => h.int_add(a, b)?,
            BinOp::Sub => h.int_sub(a, b)?,
            BinOp::Mul => h.int_mul(a, b)?,
            BinOp::TrueDiv => h.int_truediv(a, b)?,
            BinOp::FloorDiv => h.int_floordiv(a, b)?,
            BinOp::Mod => h.int_mod(a, b)?,
            BinOp::Pow => h.int_pow(a, b)?,
            BinOp::LShift => h.int_lshift(a, b)?,
            BinOp::RShift => h.int_rshift(a, b)?,
            BinOp::And if both_bool() => self.bool(a.as_bool()? & b.as_bool()?),
            BinOp::Or if both_bool() => self.bool(a.as_bool()? | b.as_bool()?),
            BinOp::Xor if both_bool() => self.bool(a.as_bool()? ^ b.as_bool()?),
            BinOp::And => h.int_and(a, b)?,
            BinOp::Or => h.int_or(a, b)?,
            BinOp::Xor => h.int_xor(a, b)?,
            BinOp::MatMul => return Ok(None),
        }))
    }

    fn float_op(&self, op: BinOp, x: f64, y: f64) -> PyResult<'h> {
        let r = match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::TrueDiv => {
                if y == 0.0 {
                    return err(ExcTy::ZeroDivisionError, "float division by zero");
                }
                x / y
            }
            BinOp::FloorDiv => {
                if y == 0.0 {
                    return err(ExcTy::ZeroDivisionError, "float floor division by zero");
                }
                (x / y).floor()
            }
            BinOp::Mod => {
                if y == 0.0 {
                    return err(ExcTy::ZeroDivisionError, "float modulo");
                }
                float_mod(x, y)
            }
            BinOp::Pow => {
                if x == 0.0 && y < 0.0 {
                    return err(
                        ExcTy::ZeroDivisionError,
                        "0.0 cannot be raised to a negative power",
                    );
                }
                let r = x.powf(y);
                if r.is_infinite() && x.is_finite() && y.is_finite() {
                    return err(
                        ExcTy::OverflowError,
                        "(34, 'Numerical result out of range')",
                    );
                }
                r
            }
            _ => unreachable!("float operator {op:?}"),
        };
        Ok(self.heap.float(r)?)
    }

    /// `int(x)` for a float (truncation towards zero; any size).
    pub fn float_to_int(&self, f: f64) -> PyResult<'h> {
        Ok(self.heap.int_from_f64(f)?)
    }

    /// Compare two numbers exactly; `None` when a float is NaN.
    pub fn num_cmp(&self, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<std::cmp::Ordering>> {
        Ok(self.heap.num_cmp(a, b)?)
    }
}
