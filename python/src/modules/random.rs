//! `random`: CPython 3.11's Mersenne Twister, seeded and drawn exactly as CPython does, so a
//! program seeded with `random.seed(n)` prints CPython's numbers.
//!
//! ```text
//!   seed(n) ─ |n| as 32-bit words, least significant first ─▶ init_by_array ─▶ state[624]
//!   random()       = (u32 >> 5) * 2^26 + (u32 >> 6), scaled by 2^-53      (two draws)
//!   getrandbits(k) = ceil(k/32) draws, the last one shifted right to keep k bits
//!   randbelow(n)   = getrandbits(n.bit_length()) until the value is < n   (rejection)
//!   randrange / randint / choice / shuffle: Lib/random.py's formulas on top of randbelow
//! ```
//!
//! The generator state lives on the interpreter context (one module-level `Random`, as
//! CPython's `random._inst`). Seeding with a str hashes it with pyheap's str hash rather than
//! CPython's sha512 (sequences are reproducible within pyheap but not CPython's); int, float,
//! bool and None seeds follow CPython.

use crate::bytecode::BinOp;
use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use num_bigint::{BigInt, Sign};
use pyheap_runtime::{IntValue, Kind, Obj};

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER: u32 = 0x8000_0000;
const LOWER: u32 = 0x7fff_ffff;

/// The MT19937 state (CPython's `RandomObject`).
pub struct Mt {
    state: [u32; N],
    index: usize,
}

impl Default for Mt {
    fn default() -> Self {
        let mut m = Mt {
            state: [0; N],
            index: N,
        };
        m.seed_from_time();
        m
    }
}

impl Mt {
    /// A generator seeded with `key` as `init_by_array` does.
    pub fn from_key(key: &[u32]) -> Mt {
        let mut m = Mt {
            state: [0; N],
            index: N,
        };
        m.init_by_array(key);
        m
    }

    fn init_genrand(&mut self, s: u32) {
        self.state[0] = s;
        for i in 1..N {
            let p = self.state[i - 1];
            self.state[i] = 1_812_433_253u32
                .wrapping_mul(p ^ (p >> 30))
                .wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        let key: &[u32] = if key.is_empty() { &[0] } else { key };
        self.init_genrand(19_650_218);
        let mt = &mut self.state;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let p = mt[i - 1];
            mt[i] = (mt[i] ^ (p ^ (p >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let p = mt[i - 1];
            mt[i] = (mt[i] ^ (p ^ (p >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = UPPER;
    }

    /// `seed(None)`: CPython reads 624 words of os.urandom; pyheap mixes the clock and the
    /// process id into a key (any key will do: the sequence is not meant to repeat).
    fn seed_from_time(&mut self) {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let p = std::process::id();
        self.init_by_array(&[t as u32, (t >> 32) as u32, (t >> 64) as u32, p]);
    }

    fn twist(&mut self) {
        let mt = &mut self.state;
        for k in 0..N {
            let y = (mt[k] & UPPER) | (mt[(k + 1) % N] & LOWER);
            let mag = if y & 1 != 0 { MATRIX_A } else { 0 };
            mt[k] = mt[(k + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// One tempered 32-bit output.
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random()`: 53 random bits as a float in [0, 1).
    pub fn random(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` as 32-bit words, least significant first.
    pub fn getrandbits(&mut self, k: u64) -> Vec<u32> {
        if k == 0 {
            return vec![0];
        }
        let mut left = k;
        let mut words = Vec::with_capacity(k.div_ceil(32) as usize);
        while left > 0 {
            let mut r = self.next_u32();
            if left < 32 {
                r >>= 32 - left;
            }
            words.push(r);
            left = left.saturating_sub(32);
        }
        words
    }

    /// A value in `[0, n)` for a positive `n` (words, least significant first), by
    /// rejection sampling on `n.bit_length()` bits as `_randbelow_with_getrandbits`.
    pub fn randbelow(&mut self, n: &[u32]) -> Vec<u32> {
        let n = trim(n);
        let k = bit_length(n);
        loop {
            let r = self.getrandbits(k);
            if cmp_words(trim(&r), n).is_lt() {
                return r;
            }
        }
    }
}

fn trim(w: &[u32]) -> &[u32] {
    let mut l = w.len();
    while l > 0 && w[l - 1] == 0 {
        l -= 1;
    }
    &w[..l]
}

fn bit_length(w: &[u32]) -> u64 {
    match w.last() {
        None => 0,
        Some(&top) => (w.len() as u64 - 1) * 32 + (32 - top.leading_zeros() as u64),
    }
}

fn cmp_words(a: &[u32], b: &[u32]) -> std::cmp::Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

/// The magnitude of an int as words and whether it is negative.
fn int_words<'h>(o: &Obj<'h>) -> PyResult<'h, (bool, Vec<u32>)> {
    Ok(match o.int_value()? {
        IntValue::Small(v) => {
            let m = v.unsigned_abs();
            (v < 0, vec![m as u32, (m >> 32) as u32])
        }
        IntValue::Big { negative, digits } => (negative, digits.to_vec()),
    })
}

fn words_to_int<'h>(ctx: &Ctx<'h>, w: &[u32]) -> PyResult<'h> {
    let w = trim(w);
    if w.len() <= 2 {
        let v = w.iter().rev().fold(0u64, |m, &d| (m << 32) | d as u64);
        if v <= i64::MAX as u64 {
            return ctx.int(v as i64);
        }
    }
    Ok(ctx
        .heap
        .int_from_bigint(&BigInt::from_slice(Sign::Plus, w))?)
}

fn is_int(o: &Obj<'_>) -> bool {
    matches!(o.kind(), Kind::Int | Kind::Bool)
}

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    ctx.new_module(
        "random",
        &[
            ("seed", seed),
            ("random", random),
            ("getrandbits", getrandbits),
            ("randrange", randrange),
            ("randint", randint),
            ("choice", choice),
            ("shuffle", shuffle),
            ("uniform", uniform),
        ],
    )
}

fn seed<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("seed", 0, 2)?;
    let mut mt = ctx.random.borrow_mut();
    match a.get(0).or_else(|| a.kwarg("a")) {
        None => mt.seed_from_time(),
        Some(s) if s.is_none() => mt.seed_from_time(),
        Some(s) => {
            let words = if is_int(s) {
                int_words(s)?.1
            } else {
                match s.kind() {
                    Kind::Float | Kind::Str => {
                        drop(mt);
                        let h = ctx.hash(s)?.unsigned_abs();
                        mt = ctx.random.borrow_mut();
                        vec![h as u32, (h >> 32) as u32]
                    }
                    _ => {
                        return err(
                            ExcTy::TypeError,
                            "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.",
                        );
                    }
                }
            };
            *mt = Mt::from_key(trim(&words));
        }
    }
    Ok(ctx.none())
}

fn random<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("random", 0, 0)?;
    let r = ctx.random.borrow_mut().random();
    Ok(ctx.heap.float(r)?)
}

fn getrandbits<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("getrandbits", 1, 1)?;
    let k = index(ctx, &a.pos[0])?;
    if k < 0 {
        return err(ExcTy::ValueError, "number of bits must be non-negative");
    }
    let w = ctx.random.borrow_mut().getrandbits(k as u64);
    words_to_int(ctx, &w)
}

/// `operator.index(o)` for the int-only arguments.
fn index<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h, i64> {
    if !is_int(o) {
        return err(
            ExcTy::TypeError,
            format!(
                "'{}' object cannot be interpreted as an integer",
                ctx.type_name(o)
            ),
        );
    }
    Ok(o.as_int()?)
}

/// `_randbelow(n)` for a positive int object `n`.
fn randbelow<'h>(ctx: &Ctx<'h>, n: &Obj<'h>) -> PyResult<'h> {
    let (_, w) = int_words(n)?;
    let r = ctx.random.borrow_mut().randbelow(&w);
    words_to_int(ctx, &r)
}

fn require_int<'h>(ctx: &Ctx<'h>, o: &Obj<'h>, which: &str) -> PyResult<'h> {
    if is_int(o) {
        return Ok(o.clone());
    }
    if o.kind() == Kind::Float {
        let f = o.as_float()?;
        if f.fract() == 0.0 && f.is_finite() {
            return ctx.float_to_int(f);
        }
        return err(
            ExcTy::ValueError,
            format!("non-integer {which} for randrange()"),
        );
    }
    err(
        ExcTy::TypeError,
        format!(
            "'{}' object cannot be interpreted as an integer",
            ctx.type_name(o)
        ),
    )
}

fn sign<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h, std::cmp::Ordering> {
    let (neg, w) = int_words(o)?;
    let _ = ctx;
    Ok(if trim(&w).is_empty() {
        std::cmp::Ordering::Equal
    } else if neg {
        std::cmp::Ordering::Less
    } else {
        std::cmp::Ordering::Greater
    })
}

/// Lib/random.py's `randrange(start, stop=None, step=1)`.
fn randrange_of<'h>(
    ctx: &Ctx<'h>,
    start: &Obj<'h>,
    stop: Option<&Obj<'h>>,
    step: Option<&Obj<'h>>,
) -> PyResult<'h> {
    let istart = require_int(ctx, start, "arg 1")?;
    let Some(stop) = stop.filter(|s| !s.is_none()) else {
        if step.is_some() {
            return err(ExcTy::TypeError, "Missing a non-None stop argument");
        }
        if sign(ctx, &istart)?.is_gt() {
            return randbelow(ctx, &istart);
        }
        return err(ExcTy::ValueError, "empty range for randrange()");
    };
    let istop = require_int(ctx, stop, "stop")?;
    let width = ctx.binary(BinOp::Sub, &istop, &istart)?;
    let istep = match step {
        Some(s) => require_int(ctx, s, "step")?,
        None => ctx.int(1)?,
    };
    if istep.as_int().ok() == Some(1) {
        if sign(ctx, &width)?.is_gt() {
            let r = randbelow(ctx, &width)?;
            return ctx.binary(BinOp::Add, &istart, &r);
        }
        return err(
            ExcTy::ValueError,
            format!(
                "empty range for randrange() ({}, {}, {})",
                ctx.repr(&istart)?,
                ctx.repr(&istop)?,
                ctx.repr(&width)?
            ),
        );
    }
    let one = ctx.int(1)?;
    let n = match sign(ctx, &istep)? {
        std::cmp::Ordering::Greater => {
            let t = ctx.binary(BinOp::Add, &width, &istep)?;
            let t = ctx.binary(BinOp::Sub, &t, &one)?;
            ctx.binary(BinOp::FloorDiv, &t, &istep)?
        }
        std::cmp::Ordering::Less => {
            let t = ctx.binary(BinOp::Add, &width, &istep)?;
            let t = ctx.binary(BinOp::Add, &t, &one)?;
            ctx.binary(BinOp::FloorDiv, &t, &istep)?
        }
        std::cmp::Ordering::Equal => return err(ExcTy::ValueError, "zero step for randrange()"),
    };
    if !sign(ctx, &n)?.is_gt() {
        return err(ExcTy::ValueError, "empty range for randrange()");
    }
    let r = randbelow(ctx, &n)?;
    let off = ctx.binary(BinOp::Mul, &istep, &r)?;
    ctx.binary(BinOp::Add, &istart, &off)
}

fn randrange<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("randrange", 1, 3)?;
    randrange_of(ctx, &a.pos[0], a.get(1), a.get(2))
}

fn randint<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    if a.len() != 2 {
        return err(
            ExcTy::TypeError,
            format!(
                "Random.randint() missing {} required positional argument{}",
                2usize.saturating_sub(a.len()),
                if a.len() == 1 {
                    ": 'b'"
                } else {
                    "s: 'a' and 'b'"
                }
            ),
        );
    }
    let one = ctx.int(1)?;
    let b1 = ctx.binary(BinOp::Add, &a.pos[1], &one)?;
    randrange_of(ctx, &a.pos[0], Some(&b1), None)
}

fn choice<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("choice", 1, 1)?;
    let seq = &a.pos[0];
    let n = ctx.len(seq)?;
    if n == 0 {
        return err(ExcTy::IndexError, "Cannot choose from an empty sequence");
    }
    let i = randbelow(ctx, &ctx.int(n as i64)?)?;
    ctx.getitem(seq, &i)
}

fn shuffle<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("shuffle", 1, 1)?;
    let x = &a.pos[0];
    let n = ctx.len(x)?;
    for i in (1..n).rev() {
        let j = ctx.random.borrow_mut().randbelow(&[i as u32 + 1, 0]);
        let j = j[0] as i64;
        let (ki, kj) = (ctx.int(i as i64)?, ctx.int(j)?);
        let (vi, vj) = (ctx.getitem(x, &ki)?, ctx.getitem(x, &kj)?);
        ctx.setitem(x, &ki, &vj)?;
        ctx.setitem(x, &kj, &vi)?;
    }
    Ok(ctx.none())
}

fn uniform<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("uniform", 2, 2)?;
    let r = ctx.random.borrow_mut().random();
    let r = ctx.heap.float(r)?;
    let width = ctx.binary(BinOp::Sub, &a.pos[1], &a.pos[0])?;
    let off = ctx.binary(BinOp::Mul, &width, &r)?;
    ctx.binary(BinOp::Add, &a.pos[0], &off)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `random.seed(42); random.getrandbits(32)` and the reference MT19937 check value.
    #[test]
    fn known_outputs() {
        let mut m = Mt::from_key(&[42]);
        assert_eq!(m.random(), 0.639_426_798_457_883_7);
        // init_by_array({0x123, 0x234, 0x345, 0x456}): the reference implementation's
        // first output.
        let mut r = Mt::from_key(&[0x123, 0x234, 0x345, 0x456]);
        assert_eq!(r.next_u32(), 1_067_595_299);
    }

    #[test]
    fn randbelow_stays_below() {
        let mut m = Mt::from_key(&[1]);
        for n in 1..200u32 {
            let r = m.randbelow(&[n]);
            assert!(r[0] < n && r.len() == 1);
        }
    }
}
