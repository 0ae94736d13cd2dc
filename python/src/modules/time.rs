//! `time`: the clocks CPython's `time` module reads, from the same OS clocks.
//!
//! ```text
//!   time(), time_ns()                    CLOCK_REALTIME   (seconds since the epoch)
//!   perf_counter(), monotonic() (+ _ns)  CLOCK_MONOTONIC  (std::time::Instant)
//!   process_time() (+ _ns)               CPU time of this process
//!   thread_time() (+ _ns)                CPU time of the calling thread (what benchmarks read:
//!                                        it leaves out time spent descheduled on a loaded machine)
//!   sleep(secs)                          thread sleep; ValueError for a negative time
//! ```

use crate::vm::number::{Num, num};
use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    ctx.new_module(
        "time",
        &[
            ("time", time),
            ("time_ns", time_ns),
            ("perf_counter", monotonic),
            ("perf_counter_ns", monotonic_ns),
            ("monotonic", monotonic),
            ("monotonic_ns", monotonic_ns),
            ("process_time", process_time),
            ("process_time_ns", process_time_ns),
            ("thread_time", thread_time),
            ("thread_time_ns", thread_time_ns),
            ("sleep", sleep),
        ],
    )
}

fn epoch_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

/// Nanoseconds on the monotonic clock since a fixed point of this process.
fn mono_ns() -> i64 {
    thread_local! {
        static START: Instant = Instant::now();
    }
    // CPython's perf_counter counts from an arbitrary origin; one fixed per process keeps
    // differences exact and the float values small.
    START.with(|s| s.elapsed().as_nanos() as i64) + 1_000_000_000
}

fn cpu_ns() -> i64 {
    clock_ns(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn thread_cpu_ns() -> i64 {
    clock_ns(libc::CLOCK_THREAD_CPUTIME_ID)
}

fn clock_ns(clock: libc::clockid_t) -> i64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into the pointed-to, live local.
    let rc = unsafe { libc::clock_gettime(clock, &mut ts) };
    if rc != 0 {
        return 0;
    }
    ts.tv_sec * 1_000_000_000 + ts.tv_nsec
}

fn secs<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, name: &str, ns: i64) -> PyResult<'h> {
    a.check(name, 0, 0)?;
    Ok(ctx.heap.float(ns as f64 * 1e-9)?)
}
fn nanos<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, name: &str, ns: i64) -> PyResult<'h> {
    a.check(name, 0, 0)?;
    ctx.int(ns)
}

fn time<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    secs(ctx, &a, "time", epoch_ns())
}
fn time_ns<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    nanos(ctx, &a, "time_ns", epoch_ns())
}
fn monotonic<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    secs(ctx, &a, "perf_counter", mono_ns())
}
fn monotonic_ns<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    nanos(ctx, &a, "perf_counter_ns", mono_ns())
}
fn process_time<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    secs(ctx, &a, "process_time", cpu_ns())
}
fn process_time_ns<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    nanos(ctx, &a, "process_time_ns", cpu_ns())
}

fn thread_time<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    secs(ctx, &a, "thread_time", thread_cpu_ns())
}
fn thread_time_ns<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    nanos(ctx, &a, "thread_time_ns", thread_cpu_ns())
}

fn sleep<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("sleep", 1, 1)?;
    let s = match num(&a.pos[0]) {
        Some(Num::I(i)) => i as f64,
        Some(Num::Big) => ctx.to_f64(&a.pos[0])?,
        Some(Num::F(f)) => f,
        None => {
            return err(
                ExcTy::TypeError,
                format!(
                    "'{}' object cannot be interpreted as an integer",
                    ctx.type_name(&a.pos[0])
                ),
            );
        }
    };
    if s.is_nan() {
        return err(ExcTy::ValueError, "Invalid value NaN (not a number)");
    }
    if s < 0.0 {
        return err(ExcTy::ValueError, "sleep length must be non-negative");
    }
    ctx.flush();
    std::thread::sleep(std::time::Duration::from_secs_f64(s.min(1e9)));
    Ok(ctx.none())
}
