//! The platform C library's math functions that Rust's `f64` does not offer, or offers with
//! its own formula (`acosh` of a huge value overflows there), bound so that `math` gives the
//! results CPython gets from the same libm. (The symbols may resolve to the Rust runtime's
//! port of the same functions: `cbrt` was seen to differ from CPython's in the last bit.)
//!
//! Invariants: each function is a pure C function of doubles (no pointers, no global state
//! read or written beyond `errno`, which nothing here reads; `lgamma_r` writes the sign of
//! Γ(x) through its one pointer instead of the global `signgam`), declared with the exact C
//! signature of `<math.h>`; the wrappers are safe to call with any `f64`, NaN and infinities
//! included.

mod c {
    unsafe extern "C" {
        pub fn acosh(x: f64) -> f64;
        pub fn asinh(x: f64) -> f64;
        pub fn atanh(x: f64) -> f64;
        pub fn cbrt(x: f64) -> f64;
        pub fn exp2(x: f64) -> f64;
        pub fn erf(x: f64) -> f64;
        pub fn erfc(x: f64) -> f64;
        pub fn remainder(x: f64, y: f64) -> f64;
        pub fn tgamma(x: f64) -> f64;
        pub fn lgamma_r(x: f64, sign: *mut std::ffi::c_int) -> f64;
    }
}

macro_rules! unary {
    ($($name:ident),*) => {$(
        /// The C library's function of that name.
        pub fn $name(x: f64) -> f64 {
            // SAFETY: a pure `<math.h>` function of one double with its C signature (module
            // invariants); every f64 is a valid argument.
            unsafe { c::$name(x) }
        }
    )*};
}

unary!(acosh, asinh, atanh, cbrt, exp2, erf, erfc, tgamma);

/// `ln |Γ(x)|` (the C library's reentrant `lgamma_r`; the sign it reports is dropped).
pub fn lgamma(x: f64) -> f64 {
    let mut sign: std::ffi::c_int = 0;
    // SAFETY: a pure `<math.h>` function with its C signature; `sign` is a live local the
    // function writes once and keeps no pointer to.
    unsafe { c::lgamma_r(x, &mut sign) }
}

/// IEEE 754 remainder: `x - n*y`, `n` the integer nearest `x/y` (ties to even); exact.
pub fn remainder(x: f64, y: f64) -> f64 {
    // SAFETY: a pure `<math.h>` function of two doubles with its C signature (module
    // invariants); every pair of f64 is a valid argument.
    unsafe { c::remainder(x, y) }
}
