//! `--recommend`: for each system, the configuration with the least wall time among the rows
//! that stay under the bounds the user gave.
//!
//! ```text
//!   rows of one system ──filter── peak RSS ≤ --max-rss MiB   (when given)
//!                         └────── max pause ≤ --max-pause ms (when given; the longest single
//!                                                             collection of the run)
//!                    ──min time──► the recommendation, printed with the row that justifies it
//! ```
//! A `--disabled` row competes like any other (no pauses at all, often the most memory).

use super::sweep::SweepRow;

/// The bounds a recommendation must respect (at least one is set).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bounds {
    /// Peak RSS at most this many MiB.
    pub max_rss_mib: Option<f64>,
    /// The longest pause at most this many ms.
    pub max_pause_ms: Option<f64>,
}

impl Bounds {
    /// Does `row` stay within every bound?
    pub fn admits(&self, row: &SweepRow) -> bool {
        let rss = row.result.peak_rss_kib as f64 / 1024.0;
        let pause = row.result.pause_summary().max_ms;
        self.max_rss_mib.is_none_or(|m| rss <= m) && self.max_pause_ms.is_none_or(|m| pause <= m)
    }

    /// The bounds in words: `peak RSS <= 64 MiB and max pause <= 5 ms`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(m) = self.max_rss_mib {
            parts.push(format!("peak RSS <= {m} MiB"));
        }
        if let Some(m) = self.max_pause_ms {
            parts.push(format!("max pause <= {m} ms"));
        }
        parts.join(" and ")
    }
}

/// The fastest admitted row of `system`, if any.
pub fn best<'r>(rows: &'r [SweepRow], system: &str, bounds: &Bounds) -> Option<&'r SweepRow> {
    rows.iter()
        .filter(|r| r.result.system == system && bounds.admits(r))
        .min_by(|a, b| a.result.time_ms.total_cmp(&b.result.time_ms))
}

/// The recommendation paragraph: one verdict per system present in `rows`.
pub fn report(rows: &[SweepRow], bounds: &Bounds) -> String {
    use std::fmt::Write;
    let mut systems: Vec<&str> = Vec::new();
    for r in rows {
        if !systems.contains(&r.result.system.as_str()) {
            systems.push(&r.result.system);
        }
    }
    let mut s = String::new();
    for system in systems {
        match best(rows, system, bounds) {
            Some(r) => {
                let p = r.result.pause_summary();
                let what = if r.config.disabled {
                    "gc.disable()".to_string()
                } else {
                    format!(
                        "gc.set_threshold({}, {}, {})",
                        r.config.threshold0, r.config.gen1, r.config.gen2
                    )
                };
                let _ = writeln!(
                    s,
                    "recommended for {system} under {}: {what} — {:.1} ms, peak RSS {:.1} MiB, \
                     max pause {:.3} ms (p99 {:.3} ms), {} collections",
                    bounds.describe(),
                    r.result.time_ms,
                    r.result.peak_rss_kib as f64 / 1024.0,
                    p.max_ms,
                    p.p99_ms,
                    p.count
                );
                s.push_str(&super::sweep::table(std::slice::from_ref(r)));
            }
            None => {
                let _ = writeln!(
                    s,
                    "no {system} configuration meets {}; lowest peak RSS {:.1} MiB, shortest max \
                     pause {:.3} ms",
                    bounds.describe(),
                    rows.iter()
                        .filter(|r| r.result.system == system)
                        .map(|r| r.result.peak_rss_kib as f64 / 1024.0)
                        .fold(f64::INFINITY, f64::min),
                    rows.iter()
                        .filter(|r| r.result.system == system)
                        .map(|r| r.result.pause_summary().max_ms)
                        .fold(f64::INFINITY, f64::min),
                );
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::{RunResult, ScriptConfig};

    fn row(t0: usize, time: f64, rss_mib: u64, max_pause: f64) -> SweepRow {
        SweepRow {
            config: ScriptConfig {
                script: "x.py".into(),
                args: vec![],
                label: "x".into(),
                threshold0: t0,
                gen1: 10,
                gen2: 10,
                full_ratio: 0.25,
                disabled: false,
            },
            result: RunResult {
                system: "pyheap".into(),
                time_ms: time,
                cpu_ms: time,
                collections: [1, 0, 0],
                collected: [0; 3],
                pauses_ms: vec![max_pause / 2.0, max_pause],
                peak_rss_kib: rss_mib * 1024,
                peak_heap_bytes: None,
                heap_samples: vec![],
                collection_times: vec![],
            },
            times_ms: vec![time],
            cpu_times_ms: vec![time],
            stdout_same: None,
            stdout_diff: None,
        }
    }

    #[test]
    fn fastest_row_under_each_bound() {
        let rows = [
            row(100, 30.0, 10, 1.0),
            row(700, 20.0, 20, 4.0),
            row(10000, 10.0, 60, 40.0),
        ];
        let rss = |m| Bounds {
            max_rss_mib: Some(m),
            max_pause_ms: None,
        };
        let pause = |m| Bounds {
            max_rss_mib: None,
            max_pause_ms: Some(m),
        };
        assert_eq!(
            best(&rows, "pyheap", &rss(64.0)).unwrap().config.threshold0,
            10000
        );
        assert_eq!(
            best(&rows, "pyheap", &rss(32.0)).unwrap().config.threshold0,
            700
        );
        assert_eq!(
            best(&rows, "pyheap", &pause(1.0))
                .unwrap()
                .config
                .threshold0,
            100
        );
        assert!(best(&rows, "pyheap", &rss(5.0)).is_none());
        assert!(best(&rows, "cpython", &rss(64.0)).is_none());
        let text = report(&rows, &rss(32.0));
        assert!(text.contains("gc.set_threshold(700, 10, 10)"), "{text}");
        assert!(
            text.contains("threshold0"),
            "the justifying row's table: {text}"
        );
        assert!(
            report(&rows, &rss(5.0)).contains("no pyheap configuration meets peak RSS <= 5 MiB")
        );
        assert_eq!(
            text.matches("recommended for pyheap").count(),
            1,
            "one verdict per system"
        );
    }
}
