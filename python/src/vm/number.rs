//! Numbers: int, bool and float arithmetic with Python's rules (floor division and modulo
//! round towards negative infinity, `/` is true division, `**` with a negative exponent gives
//! a float, mixed int/float promotes to float).
//!
//! Adapter note: ints are the runtime's `i64` today; results that do not fit raise
//! OverflowError. When the runtime's bigints land, `int_op` is the one place to switch.

use super::{Ctx, ExcTy, PyResult, err};
use crate::bytecode::BinOp;
use pyheap_runtime::{Heap, Kind, Obj, RuntimeError};

/// A number operand.
#[derive(Clone, Copy)]
pub enum Num {
    I(i64),
    F(f64),
}

/// `o` as a number (bool counts as int), if it is one.
pub fn num(o: &Obj<'_>) -> Option<Num> {
    match o.kind() {
        Kind::Int | Kind::Bool => o.as_int().ok().map(Num::I),
        Kind::Float => o.as_float().ok().map(Num::F),
        _ => None,
    }
}

fn overflow() -> RuntimeError {
    RuntimeError::Overflow("integer result beyond the VM's i64 fast path".into())
}

/// An int literal that does not fit in i64.
pub fn int_from_decimal<'h>(_heap: &'h Heap, _digits: &str) -> Result<Obj<'h>, RuntimeError> {
    Err(overflow())
}

fn floor_div(a: i64, b: i64) -> Option<i64> {
    let q = a.checked_div(b)?;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q.checked_sub(1)
    } else {
        Some(q)
    }
}

fn floor_mod(a: i64, b: i64) -> Option<i64> {
    let r = a.checked_rem(b)?;
    if r != 0 && ((r < 0) != (b < 0)) {
        Some(r + b)
    } else {
        Some(r)
    }
}

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
    /// Arithmetic on two numbers; `None` when the operator does not apply to them.
    pub fn num_op(&self, op: BinOp, a: Num, b: Num) -> PyResult<'h, Option<Obj<'h>>> {
        match (a, b) {
            (Num::I(x), Num::I(y)) => self.int_op(op, x, y),
            (x, y) => {
                let x = match x {
                    Num::I(i) => i as f64,
                    Num::F(f) => f,
                };
                let y = match y {
                    Num::I(i) => i as f64,
                    Num::F(f) => f,
                };
                self.float_op(op, x, y)
            }
        }
    }

    fn int_op(&self, op: BinOp, x: i64, y: i64) -> PyResult<'h, Option<Obj<'h>>> {
        let r = match op {
            BinOp::Add => x.checked_add(y),
            BinOp::Sub => x.checked_sub(y),
            BinOp::Mul => x.checked_mul(y),
            BinOp::TrueDiv => {
                if y == 0 {
                    return err(ExcTy::ZeroDivisionError, "division by zero");
                }
                return Ok(Some(self.heap.float(x as f64 / y as f64)?));
            }
            BinOp::FloorDiv => {
                if y == 0 {
                    return err(
                        ExcTy::ZeroDivisionError,
                        "integer division or modulo by zero",
                    );
                }
                floor_div(x, y)
            }
            BinOp::Mod => {
                if y == 0 {
                    return err(ExcTy::ZeroDivisionError, "integer modulo by zero");
                }
                floor_mod(x, y)
            }
            BinOp::Pow => {
                if y < 0 {
                    if x == 0 {
                        return err(
                            ExcTy::ZeroDivisionError,
                            "0.0 cannot be raised to a negative power",
                        );
                    }
                    return Ok(Some(self.heap.float((x as f64).powf(y as f64))?));
                }
                u32::try_from(y).ok().and_then(|e| x.checked_pow(e))
            }
            BinOp::LShift => {
                if y < 0 {
                    return err(ExcTy::ValueError, "negative shift count");
                }
                if x == 0 {
                    Some(0)
                } else if y >= 63 {
                    None
                } else {
                    let r = x << y;
                    (r >> y == x).then_some(r)
                }
            }
            BinOp::RShift => {
                if y < 0 {
                    return err(ExcTy::ValueError, "negative shift count");
                }
                Some(if y >= 64 {
                    if x < 0 { -1 } else { 0 }
                } else {
                    x >> y
                })
            }
            BinOp::And => Some(x & y),
            BinOp::Or => Some(x | y),
            BinOp::Xor => Some(x ^ y),
            BinOp::MatMul => return Ok(None),
        };
        match r {
            Some(v) => Ok(Some(self.heap.int(v)?)),
            None => Err(overflow().into()),
        }
    }

    fn float_op(&self, op: BinOp, x: f64, y: f64) -> PyResult<'h, Option<Obj<'h>>> {
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
                x.powf(y)
            }
            _ => return Ok(None),
        };
        Ok(Some(self.heap.float(r)?))
    }

    /// `int(x)` for a float (truncation).
    pub fn float_to_int(&self, f: f64) -> PyResult<'h> {
        if f.is_nan() {
            return err(ExcTy::ValueError, "cannot convert float NaN to integer");
        }
        if f.is_infinite() {
            return err(
                ExcTy::OverflowError,
                "cannot convert float infinity to integer",
            );
        }
        let t = f.trunc();
        if t.abs() >= 9.2e18 {
            return Err(overflow().into());
        }
        self.int(t as i64)
    }

    /// Compare two numbers.
    pub fn num_cmp(a: Num, b: Num) -> Option<std::cmp::Ordering> {
        match (a, b) {
            (Num::I(x), Num::I(y)) => Some(x.cmp(&y)),
            (Num::I(x), Num::F(y)) => (x as f64).partial_cmp(&y),
            (Num::F(x), Num::I(y)) => x.partial_cmp(&(y as f64)),
            (Num::F(x), Num::F(y)) => x.partial_cmp(&y),
        }
    }
}
