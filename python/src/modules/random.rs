//! `random`: CPython 3.11's Mersenne Twister, seeded and drawn exactly as CPython does, so a
//! program seeded with `random.seed(n)` prints CPython's numbers.
//!
//! ```text
//!   seed(n) ─ |n| as 32-bit words, least significant first ─▶ init_by_array ─▶ state[624]
//!   random()       = (u32 >> 5) * 2^26 + (u32 >> 6), scaled by 2^-53      (two draws)
//!   getrandbits(k) = ceil(k/32) draws, the last one shifted right to keep k bits
//!   randbelow(n)   = getrandbits(n.bit_length()) until the value is < n   (rejection)
//!   randrange / randint / choice / shuffle / sample / choices / gauss / normalvariate /
//!   expovariate / triangular: Lib/random.py's formulas on top of randbelow and random()
//! ```
//!
//! The generator state lives on the interpreter context (one module-level `Random`, as
//! CPython's `random._inst`). Every seed CPython takes is followed: int and bool by value,
//! str and bytes through SHA-512 (the `sha2` crate), float by its hash, None from the clock.

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
    /// The second value of the last `gauss()` pair (`Random.gauss_next`); seeding drops it.
    gauss_next: Option<f64>,
}

impl Default for Mt {
    fn default() -> Self {
        let mut m = Mt {
            state: [0; N],
            index: N,
            gauss_next: None,
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
            gauss_next: None,
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
        self.gauss_next = None;
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
            ("sample", sample),
            ("choices", choices),
            ("gauss", gauss),
            ("normalvariate", normalvariate),
            ("expovariate", expovariate),
            ("triangular", triangular),
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
            let text = match s.kind() {
                Kind::Str => Some(s.str_value()?.as_bytes().to_vec()),
                _ => ctx.bytes_data(s)?.map(Vec::from),
            };
            let words = if is_int(s) {
                int_words(s)?.1
            } else if let Some(data) = text {
                seed_words_of_bytes(&data)
            } else {
                match s.kind() {
                    Kind::Float => {
                        // The C seed takes `(size_t)hash(a)` for anything but an int.
                        drop(mt);
                        let h = ctx.hash(s)? as u64;
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

/// The seed words of a str (its UTF-8) or bytes seed: CPython 3.11's
/// `int.from_bytes(a + sha512(a).digest(), 'big')`, as 32-bit words least significant first.
fn seed_words_of_bytes(data: &[u8]) -> Vec<u32> {
    let mut big_endian = data.to_vec();
    big_endian.extend_from_slice(&<sha2::Sha512 as sha2::Digest>::digest(data));
    big_endian
        .rchunks(4)
        .map(|c| c.iter().fold(0u32, |w, &b| (w << 8) | b as u32))
        .collect()
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

/// `randbelow(n)` for a machine-sized `n > 0`.
fn below(ctx: &Ctx<'_>, n: usize) -> usize {
    let r = ctx
        .random
        .borrow_mut()
        .randbelow(&[n as u32, (n as u64 >> 32) as u32]);
    r.iter().rev().fold(0usize, |v, &w| (v << 32) | w as usize)
}

fn draw(ctx: &Ctx<'_>) -> f64 {
    ctx.random.borrow_mut().random()
}

/// `sample(population, k, *, counts=None)` (Lib/random.py 3.11, `counts` too): a pool walk for
/// a small population, rejection on a set of indices for a large one (the same draws).
fn sample<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("sample", 1, 2)?;
    let pop = &a.pos[0];
    let Some(k) = a.get(1).or_else(|| a.kwarg("k")) else {
        return err(
            ExcTy::TypeError,
            "Random.sample() missing 1 required positional argument: 'k'",
        );
    };
    let is_seq = matches!(pop.kind(), Kind::List | Kind::Tuple | Kind::Str)
        || ctx.bytes_data(pop)?.is_some()
        || pop.is_user::<crate::objects::iter::Range>()
        || (pop.kind() == Kind::Instance
            && ctx.lookup_special(pop, "__getitem__").is_some()
            && ctx.lookup_special(pop, "__len__").is_some()
            && ctx.lookup_special(pop, "keys").is_none());
    if !is_seq {
        return err(
            ExcTy::TypeError,
            "Population must be a sequence.  For dicts or sets, use sorted(d).",
        );
    }
    if let Some(counts) = a.kwarg("counts").filter(|c| !c.is_none()) {
        // Sample positions of the repeated population, then map them back (bisect).
        let counts = ctx.collect(counts)?;
        let n = ctx.len(pop)?;
        if counts.len() != n {
            return err(
                ExcTy::ValueError,
                "The number of counts does not match the population",
            );
        }
        let mut cum = Vec::with_capacity(n);
        let mut total = 0i64;
        for c in &counts {
            total += index(ctx, c)?;
            cum.push(total);
        }
        if total <= 0 {
            return err(
                ExcTy::ValueError,
                "Total of counts must be greater than zero",
            );
        }
        let picks = sample_indices(ctx, total as usize, k)?;
        let items = picks
            .into_iter()
            .map(|p| {
                let i = cum.partition_point(|&c| c <= p as i64);
                ctx.getitem(pop, &ctx.int(i as i64)?)
            })
            .collect::<PyResult<'h, Vec<_>>>()?;
        return Ok(ctx.heap.list(&items)?.into_obj());
    }
    let n = ctx.len(pop)?;
    let picks = sample_indices(ctx, n, k)?;
    let items = picks
        .into_iter()
        .map(|j| ctx.getitem(pop, &ctx.int(j as i64)?))
        .collect::<PyResult<'h, Vec<_>>>()?;
    Ok(ctx.heap.list(&items)?.into_obj())
}

/// The positions `sample` picks from a population of `n`, in CPython's order and draws.
fn sample_indices<'h>(ctx: &Ctx<'h>, n: usize, k: &Obj<'h>) -> PyResult<'h, Vec<usize>> {
    let k = index(ctx, k)?;
    if k < 0 || k as usize > n {
        return err(
            ExcTy::ValueError,
            "Sample larger than population or is negative",
        );
    }
    let k = k as usize;
    let mut setsize = 21usize;
    if k > 5 {
        setsize += 4usize.pow((((k * 3) as f64).ln() / 4f64.ln()).ceil() as u32);
    }
    let mut out = Vec::with_capacity(k);
    if n <= setsize {
        let mut pool: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = below(ctx, n - i);
            out.push(pool[j]);
            pool[j] = pool[n - i - 1];
        }
    } else {
        let mut selected = std::collections::HashSet::new();
        for _ in 0..k {
            let mut j = below(ctx, n);
            while selected.contains(&j) {
                j = below(ctx, n);
            }
            selected.insert(j);
            out.push(j);
        }
    }
    Ok(out)
}

/// `choices(population, weights=None, *, cum_weights=None, k=1)`.
fn choices<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("choices", 1, 2)?;
    let pop = &a.pos[0];
    let n = ctx.len(pop)?;
    let k = match a.kwarg("k") {
        Some(k) => index(ctx, k)?.max(0) as usize,
        None => 1,
    };
    let weights = a
        .get(1)
        .or_else(|| a.kwarg("weights"))
        .filter(|w| !w.is_none());
    let cum = a.kwarg("cum_weights").filter(|w| !w.is_none());
    let cum: Vec<Obj<'h>> = match (weights, cum) {
        (None, None) => {
            let nf = n as f64;
            let mut out = Vec::with_capacity(k);
            for _ in 0..k {
                let i = (draw(ctx) * nf).floor() as i64;
                out.push(ctx.getitem(pop, &ctx.int(i)?)?);
            }
            return Ok(ctx.heap.list(&out)?.into_obj());
        }
        (Some(_), Some(_)) => {
            return err(
                ExcTy::TypeError,
                "Cannot specify both weights and cumulative weights",
            );
        }
        (Some(w), None) => {
            let mut acc: Option<Obj<'h>> = None;
            let mut v = Vec::new();
            for x in ctx.collect(w)? {
                let s = match &acc {
                    Some(t) => ctx.binary(BinOp::Add, t, &x)?,
                    None => x,
                };
                v.push(s.clone());
                acc = Some(s);
            }
            v
        }
        (None, Some(c)) => ctx.collect(c)?,
    };
    if cum.len() != n {
        return err(
            ExcTy::ValueError,
            "The number of weights does not match the population",
        );
    }
    let total = ctx.to_f64(cum.last().expect("n > 0 weights"))?;
    if total <= 0.0 {
        return err(
            ExcTy::ValueError,
            "Total of weights must be greater than zero",
        );
    }
    if !total.is_finite() {
        return err(ExcTy::ValueError, "Total of weights must be finite");
    }
    let mut out = Vec::with_capacity(k);
    for _ in 0..k {
        // bisect_right(cum_weights, random() * total, 0, n - 1)
        let x = ctx.heap.float(draw(ctx) * total)?;
        let (mut lo, mut hi) = (0usize, n - 1);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if ctx.compare_bool(crate::bytecode::CmpOp::Lt, &x, &cum[mid])? {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        out.push(ctx.getitem(pop, &ctx.int(lo as i64)?)?);
    }
    Ok(ctx.heap.list(&out)?.into_obj())
}

/// A float argument with a default.
fn float_arg<'h>(
    ctx: &Ctx<'h>,
    a: &Args<'_, 'h>,
    i: usize,
    name: &str,
    dflt: f64,
) -> PyResult<'h, f64> {
    match a.get(i).or_else(|| a.kwarg(name)) {
        Some(o) => ctx.to_f64(o),
        None => Ok(dflt),
    }
}

/// `gauss(mu=0.0, sigma=1.0)`: Box–Muller, the pair's second value kept for the next call.
fn gauss<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("gauss", 0, 2)?;
    let (mu, sigma) = (
        float_arg(ctx, &a, 0, "mu", 0.0)?,
        float_arg(ctx, &a, 1, "sigma", 1.0)?,
    );
    let next = ctx.random.borrow_mut().gauss_next.take();
    let z = match next {
        Some(z) => z,
        None => {
            let x2pi = draw(ctx) * std::f64::consts::TAU;
            let g2rad = (-2.0 * (1.0 - draw(ctx)).ln()).sqrt();
            ctx.random.borrow_mut().gauss_next = Some(x2pi.sin() * g2rad);
            x2pi.cos() * g2rad
        }
    };
    Ok(ctx.heap.float(mu + z * sigma)?)
}

/// `normalvariate(mu=0.0, sigma=1.0)`: Kinderman and Monahan's ratio method.
fn normalvariate<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("normalvariate", 0, 2)?;
    let (mu, sigma) = (
        float_arg(ctx, &a, 0, "mu", 0.0)?,
        float_arg(ctx, &a, 1, "sigma", 1.0)?,
    );
    let magic = 4.0 * (-0.5f64).exp() / 2.0f64.sqrt();
    let z = loop {
        let u1 = draw(ctx);
        let u2 = 1.0 - draw(ctx);
        let z = magic * (u1 - 0.5) / u2;
        if z * z / 4.0 <= -u2.ln() {
            break z;
        }
    };
    Ok(ctx.heap.float(mu + z * sigma)?)
}

/// `expovariate(lambd)`.
fn expovariate<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("expovariate", 1, 1)?;
    let lambd = ctx.to_f64(&a.pos[0])?;
    let u = draw(ctx);
    if lambd == 0.0 {
        return err(ExcTy::ZeroDivisionError, "float division by zero");
    }
    Ok(ctx.heap.float(-(1.0 - u).ln() / lambd)?)
}

/// `triangular(low=0.0, high=1.0, mode=None)`.
fn triangular<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("triangular", 0, 3)?;
    let (mut low, mut high) = (
        float_arg(ctx, &a, 0, "low", 0.0)?,
        float_arg(ctx, &a, 1, "high", 1.0)?,
    );
    let mode = a
        .get(2)
        .or_else(|| a.kwarg("mode"))
        .filter(|m| !m.is_none());
    let mut u = draw(ctx);
    let mut c = match mode {
        None => 0.5,
        // (mode - low) / (high - low) divides by zero: CPython returns `low` as given.
        Some(_) if high == low => {
            return match a.get(0).or_else(|| a.kwarg("low")) {
                Some(l) => Ok(l.clone()),
                None => Ok(ctx.heap.float(low)?),
            };
        }
        Some(m) => (ctx.to_f64(m)? - low) / (high - low),
    };
    if u > c {
        u = 1.0 - u;
        c = 1.0 - c;
        std::mem::swap(&mut low, &mut high);
    }
    Ok(ctx.heap.float(low + (high - low) * (u * c).sqrt())?)
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
