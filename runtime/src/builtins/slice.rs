//! Python's slice arithmetic (`PySlice_Unpack` + `PySlice_AdjustIndices`), shared by the list and
//! str slicing methods.
//!
//! ```text
//!   s[start:stop:step] on len n ──▶ (first index, step, count)   indices: first + k·step, k < count
//!   None bounds: step > 0 → 0 and n; step < 0 → n−1 and "before 0"; negative bounds count from n
//! ```

use crate::error::{Result, RuntimeError};

/// The indices a slice selects in a sequence of `len` items: `(first, step, count)`.
/// `ValueError: slice step cannot be zero` for a zero step.
pub fn indices(
    len: usize,
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
) -> Result<(i64, i64, usize)> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(RuntimeError::ValueError("slice step cannot be zero".into()));
    }
    // i64::MIN steps behave like -i64::MAX (CPython clamps to -PY_SSIZE_T_MAX).
    let step = step.max(-i64::MAX);
    let n = len as i64;
    let clamp = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(v) if v < 0 => {
                let v = v.saturating_add(n);
                if v < 0 {
                    if step < 0 { -1 } else { 0 }
                } else {
                    v
                }
            }
            Some(v) if v >= n => {
                if step < 0 {
                    n - 1
                } else {
                    n
                }
            }
            Some(v) => v,
        }
    };
    let (start, stop) = if step > 0 {
        (clamp(start, 0), clamp(stop, n))
    } else {
        (clamp(start, n - 1), clamp(stop, -1))
    };
    let count = if step > 0 {
        if stop > start {
            (stop - start - 1) / step + 1
        } else {
            0
        }
    } else if start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    };
    Ok((start, step, count as usize))
}
