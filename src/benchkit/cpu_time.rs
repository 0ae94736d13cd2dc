//! Thread CPU time, the clock `pyheap bench collect|cycles|pyperf` reads on both sides (Python's
//! `time.thread_time_ns()` is the same `CLOCK_THREAD_CPUTIME_ID`): on a shared machine it leaves
//! out the time the thread spent descheduled, which wall time would count.
//!
//! ```text
//!   t0 = thread_cpu_ns(); work(); dt = thread_cpu_ns() - t0     (ns of CPU this thread used)
//! ```
//!
//! # Invariants
//! - `clock_gettime` only writes the `timespec` it is given; the clock id is a constant Linux
//!   (and every POSIX system with thread CPU clocks) supports.

/// CPU time used by the calling thread, in nanoseconds (0 if the clock is unavailable).
pub fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call (module invariant).
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0;
    }
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}
