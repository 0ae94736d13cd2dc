//! SVG plots of a sweep (plotters' SVG backend: text is emitted as `<text>` elements, so no
//! system fonts are needed).
//!
//! ```text
//!  ┌─────────────────────────┬─────────────────────────┐
//!  │ time vs threshold0      │ peak RSS vs threshold0  │  x = threshold0 (log scale),
//!  ├─────────────────────────┼─────────────────────────┤  one line per system
//!  │ p99 pause vs threshold0 │ max pause vs threshold0 │  (and per t1,t2 when swept)
//!  ├─────────────────────────┼─────────────────────────┤
//!  │ pause CDF: pyheap       │ pause CDF: cpython      │  one line per threshold0
//!  ├─────────────────────────┴─────────────────────────┤
//!  │ pyheap heap size over time, collections marked    │  one line per threshold0
//!  └───────────────────────────────────────────────────┘
//! ```
//! Systems and thresholds have separate palettes, so no colour means two things. Runs with
//! automatic collection disabled have no threshold and stay out of the plots (the table and
//! JSON lines show them). Every panel has a one-sentence caption under it.

use super::sweep::SweepRow;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// Colours of the systems (pyheap, cpython, ...): one hue each, never reused for thresholds.
const SYSTEM_COLOURS: [RGBColor; 3] = [
    RGBColor(31, 119, 180), // pyheap: blue
    RGBColor(40, 40, 40),   // cpython: near black
    RGBColor(140, 86, 75),  // a third system: brown
];

/// Colour stops of the thresholds (CDF and sawtooth lines): a sequential scale from dark purple
/// (small threshold0) through violet and green to olive (large), no blue, black or red. The swept
/// thresholds are spread evenly over it ([`threshold_colour`]), so neighbours stay apart.
const THRESHOLD_STOPS: [RGBColor; 5] = [
    RGBColor(68, 1, 84),
    RGBColor(120, 60, 160),
    RGBColor(33, 150, 110),
    RGBColor(94, 201, 98),
    RGBColor(190, 170, 0),
];

/// The panels, in drawing order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Panel {
    /// Wall time against threshold0.
    Time,
    /// Peak RSS against threshold0.
    Rss,
    /// 99th-percentile pause against threshold0.
    P99,
    /// Longest pause against threshold0.
    MaxPause,
    /// The pause distribution of one system, a line per threshold0.
    Cdf(&'static str),
    /// pyheap's heap size over time, a line per threshold0.
    Sawtooth,
}

impl Panel {
    /// The panel's title.
    pub fn title(&self) -> String {
        match self {
            Panel::Time => "time (ms) vs threshold0".into(),
            Panel::Rss => "peak RSS (MiB) vs threshold0".into(),
            Panel::P99 => "p99 pause (ms) vs threshold0".into(),
            Panel::MaxPause => "max pause (ms) vs threshold0".into(),
            Panel::Cdf(sys) => format!("{sys}: pause distribution (CDF)"),
            Panel::Sawtooth => "pyheap heap size over time (enabled runs)".into(),
        }
    }

    /// The one-sentence caption under the panel.
    pub fn caption(&self) -> String {
        match self {
            Panel::Time => {
                "Wall time of the whole script at each threshold0: lower is faster.".into()
            }
            Panel::Rss => {
                "Peak resident memory of the process that ran the script, at each threshold0."
                    .into()
            }
            Panel::P99 => {
                "The pause that 99 % of the run's collections stay under, at each threshold0."
                    .into()
            }
            Panel::MaxPause => {
                "The longest single collection pause of the run, at each threshold0.".into()
            }
            Panel::Cdf(sys) => format!(
                "Fraction of {sys}'s collections that paused at most x ms, one line per threshold0."
            ),
            Panel::Sawtooth => {
                "pyheap's heap bytes while the script runs: each drop is a collection; \
                 ▲ marks full collections, ● generation-1 ones (all, when there are few)."
                    .into()
            }
        }
    }
}

/// The panels drawn for a sweep of `systems` (a CDF per system).
pub fn panels_for(systems: &[&str]) -> Vec<Panel> {
    let mut v = vec![Panel::Time, Panel::Rss, Panel::P99, Panel::MaxPause];
    for sys in systems {
        v.push(Panel::Cdf(if *sys == "cpython" {
            "cpython"
        } else {
            "pyheap"
        }));
    }
    v.push(Panel::Sawtooth);
    v
}

/// The panels drawn for `rows`.
pub fn panels(rows: &[SweepRow]) -> Vec<Panel> {
    let s = systems(rows);
    panels_for(&s.iter().map(String::as_str).collect::<Vec<_>>())
}

/// A tick label without a useless fraction: `100`, `2.5`, `100k`, `1M`, `0.05`.
pub fn tick_label(x: f64) -> String {
    if x != 0.0 && x.abs() < 1.0 {
        // Two significant digits for small values (pauses in ms), trailing zeros dropped.
        let digits = (-x.abs().log10().floor()) as usize + 1;
        let s = format!("{x:.digits$}");
        return s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    let (v, suffix) = if x.abs() >= 1e6 {
        (x / 1e6, "M")
    } else if x.abs() >= 1e3 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}{suffix}", r as i64)
    } else {
        format!("{r:.1}{suffix}")
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type PlotResult = Result<(), Box<dyn std::error::Error>>;

/// Height of one row of panels, pixels.
const ROW_HEIGHT: u32 = 340;
const WIDTH: u32 = 1200;

/// Split a panel into the chart and a caption strip, and write the caption.
fn with_caption<'a>(
    area: &Area<'a>,
    caption: &str,
) -> Result<Area<'a>, Box<dyn std::error::Error>> {
    let h = area.dim_in_pixel().1 as i32;
    let (chart, strip) = area.split_vertically(h - 26);
    strip.draw(&Text::new(
        caption.to_string(),
        (16, 4),
        ("sans-serif", 14).into_font().color(&RGBColor(60, 60, 60)),
    ))?;
    Ok(chart)
}

/// Write the plots for `rows` to `path`.
pub fn write_svg(rows: &[SweepRow], path: &Path) -> PlotResult {
    let workload = rows.first().map(|r| r.config.label.as_str()).unwrap_or("?");
    let panels = panels(rows);
    let nrows = panels.len().div_ceil(2) as u32;
    let root = SVGBackend::new(path, (WIDTH, 40 + nrows * ROW_HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(&format!("pyheap sweep: {workload}"), ("sans-serif", 24))?;
    // Rows of two; an odd last panel (the sawtooth) takes the whole width.
    let mut areas = Vec::new();
    let mut rest = root;
    for i in 0..nrows {
        let (row, below) = if i + 1 < nrows {
            rest.split_vertically(ROW_HEIGHT as i32)
        } else {
            let h = rest.dim_in_pixel().1 as i32;
            rest.split_vertically(h)
        };
        let left = panels.len() - areas.len();
        if left >= 2 {
            let (l, r) = row.split_horizontally(WIDTH as i32 / 2);
            areas.push(l);
            areas.push(r);
        } else {
            areas.push(row);
        }
        rest = below;
    }
    for (panel, area) in panels.iter().zip(&areas) {
        let chart = with_caption(area, &panel.caption())?;
        let title = panel.title();
        match panel {
            Panel::Time => by_threshold(&chart, rows, &title, "ms", |r| r.result.time_ms)?,
            Panel::Rss => by_threshold(&chart, rows, &title, "MiB", |r| {
                r.result.peak_rss_kib as f64 / 1024.0
            })?,
            Panel::P99 => by_threshold(&chart, rows, &title, "ms", |r| {
                r.result.pause_summary().p99_ms
            })?,
            Panel::MaxPause => by_threshold(&chart, rows, &title, "ms", |r| {
                r.result.pause_summary().max_ms
            })?,
            Panel::Cdf(sys) => cdf(&chart, rows, sys, &title)?,
            Panel::Sawtooth => sawtooth(&chart, rows, &title)?,
        }
    }
    areas[0].present()?;
    Ok(())
}

/// The systems present, pyheap first.
fn systems(rows: &[SweepRow]) -> Vec<String> {
    let mut s: Vec<String> = rows.iter().map(|r| r.result.system.clone()).collect();
    s.sort_by_key(|x| (x != "pyheap", x.clone()));
    s.dedup();
    s
}

/// The (gen1, gen2) combinations swept, in first-seen order.
fn combos(rows: &[SweepRow]) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    for r in rows.iter().filter(|r| !r.config.disabled) {
        let c = (r.config.gen1, r.config.gen2);
        if !v.contains(&c) {
            v.push(c);
        }
    }
    v
}

/// The colour of threshold0 `t`: its rank among the swept thresholds, spread evenly over
/// [`THRESHOLD_STOPS`] (linear between stops).
fn threshold_colour(rows: &[SweepRow], t: usize) -> RGBColor {
    let mut ts: Vec<usize> = rows
        .iter()
        .filter(|r| !r.config.disabled)
        .map(|r| r.config.threshold0)
        .collect();
    ts.sort_unstable();
    ts.dedup();
    let i = ts.iter().position(|&x| x == t).unwrap_or(0);
    let f = if ts.len() <= 1 {
        0.0
    } else {
        i as f64 / (ts.len() - 1) as f64
    };
    along(&THRESHOLD_STOPS, f)
}

/// The colour at fraction `f` (0..=1) of a scale of stops.
fn along(stops: &[RGBColor], f: f64) -> RGBColor {
    let x = f.clamp(0.0, 1.0) * (stops.len() - 1) as f64;
    let k = (x.floor() as usize).min(stops.len() - 2);
    let (a, b, w) = (stops[k], stops[k + 1], x - k as f64);
    let mix = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * w).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A log axis range around `lo..hi` with room for the end markers.
fn log_range(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = (lo.max(1e-9), hi.max(1e-9));
    if lo == hi {
        (lo / 2.0, hi * 2.0)
    } else {
        (lo / 1.3, hi * 1.3)
    }
}

fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    pos: SeriesLabelPosition,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(pos)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(160, 160, 160))
        .draw()
}

/// A panel's chart builder: its title and the margins and label areas every panel shares.
fn panel_chart<'a, 'b>(area: &'a Area<'b>, title: &str) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let mut b = ChartBuilder::on(area);
    b.caption(title, ("sans-serif", 18))
        .margin(12)
        .margin_right(28)
        .x_label_area_size(36)
        .y_label_area_size(64);
    b
}

fn by_threshold(
    area: &Area<'_>,
    rows: &[SweepRow],
    title: &str,
    unit: &str,
    value: impl Fn(&SweepRow) -> f64,
) -> PlotResult {
    let pts: Vec<&SweepRow> = rows.iter().filter(|r| !r.config.disabled).collect();
    let ts = pts.iter().map(|r| r.config.threshold0.max(1) as f64);
    let (xmin, xmax) = log_range(
        ts.clone().fold(f64::INFINITY, f64::min),
        ts.fold(0.0, f64::max),
    );
    let combos = combos(rows);
    let nseries = systems(rows).len() * combos.len();
    // Headroom above the data for the legend box in the upper right (about 7 % per entry).
    let ymax = pts
        .iter()
        .map(|r| value(r))
        .fold(0.0f64, f64::max)
        .max(1e-6)
        * (1.2 + 0.08 * nseries as f64);
    let mut chart =
        panel_chart(area, title).build_cartesian_2d((xmin..xmax).log_scale(), 0f64..ymax)?;
    chart
        .configure_mesh()
        .x_desc("threshold0")
        .x_label_formatter(&|x| tick_label(*x))
        .y_label_formatter(&|y| tick_label(*y))
        .y_desc(unit)
        .draw()?;
    for (i, sys) in systems(rows).iter().enumerate() {
        for (j, &(g1, g2)) in combos.iter().enumerate() {
            // Further (gen1, gen2) combinations: the system's hue, lighter.
            let base = SYSTEM_COLOURS[i % SYSTEM_COLOURS.len()];
            let color = base.mix(1.0 - 0.25 * (j.min(3) as f64));
            let mut line: Vec<(f64, f64)> = pts
                .iter()
                .filter(|r| &r.result.system == sys && (r.config.gen1, r.config.gen2) == (g1, g2))
                .map(|r| (r.config.threshold0.max(1) as f64, value(r)))
                .collect();
            if line.is_empty() {
                continue;
            }
            line.sort_by(|a, b| a.0.total_cmp(&b.0));
            let label = if combos.len() > 1 {
                format!("{sys} t1,t2={g1},{g2}")
            } else {
                sys.clone()
            };
            chart
                .draw_series(LineSeries::new(line.clone(), color.stroke_width(2)))?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
            chart.draw_series(line.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
        }
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

/// At most `n` points of `v`, evenly spaced, keeping the last.
fn thin<T: Copy>(v: &[T], n: usize) -> Vec<T> {
    if v.len() <= n {
        return v.to_vec();
    }
    let step = v.len().div_ceil(n);
    let mut out: Vec<T> = v.iter().step_by(step).copied().collect();
    out.push(v[v.len() - 1]);
    out
}

fn cdf(area: &Area<'_>, rows: &[SweepRow], sys: &str, title: &str) -> PlotResult {
    let runs: Vec<&SweepRow> = rows
        .iter()
        .filter(|r| r.result.system == sys && !r.config.disabled && !r.result.pauses_ms.is_empty())
        .collect();
    let all = runs.iter().flat_map(|r| r.result.pauses_ms.iter().copied());
    let (xmin, xmax) = log_range(
        all.clone()
            .filter(|&p| p > 0.0)
            .fold(f64::INFINITY, f64::min)
            .min(1.0),
        all.fold(0.0, f64::max).max(1e-3),
    );
    let mut chart =
        panel_chart(area, title).build_cartesian_2d((xmin..xmax).log_scale(), 0f64..1.05)?;
    chart
        .configure_mesh()
        .x_desc("pause (ms)")
        .x_label_formatter(&|x| tick_label(*x))
        .y_label_formatter(&|y| tick_label(*y))
        .y_desc("fraction of pauses")
        .draw()?;
    let multi = combos(rows).len() > 1;
    for r in runs {
        let color = threshold_colour(rows, r.config.threshold0);
        let mut p = r.result.pauses_ms.clone();
        p.sort_by(f64::total_cmp);
        // A step function: up by 1/n at each pause (a single pause is one vertical step).
        let n = p.len() as f64;
        let steps: Vec<(f64, f64)> = p
            .iter()
            .enumerate()
            .flat_map(|(i, &x)| {
                [
                    (x.max(xmin), i as f64 / n),
                    (x.max(xmin), (i + 1) as f64 / n),
                ]
            })
            .collect();
        let label = if multi {
            format!(
                "{} (t1,t2={},{})",
                r.config.threshold0, r.config.gen1, r.config.gen2
            )
        } else {
            format!("threshold0={}", r.config.threshold0)
        };
        chart
            .draw_series(LineSeries::new(thin(&steps, 1200), color.stroke_width(2)))?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    Ok(())
}

/// The heap size at `t` ms, linearly between the samples around it.
fn heap_at(samples: &[(f64, f64)], t: f64) -> f64 {
    let i = samples.partition_point(|s| s.0 < t);
    match (i.checked_sub(1).map(|j| samples[j]), samples.get(i)) {
        (Some(a), Some(b)) if b.0 > a.0 => a.1 + (b.1 - a.1) * (t - a.0) / (b.0 - a.0),
        (_, Some(b)) => b.1,
        (Some(a), None) => a.1,
        (None, None) => 0.0,
    }
}

/// Which collections get a marker: those whose heap size was sampled (the marker then sits on
/// the drop), all when few, else generation >= 1 only, else only full ones.
fn marked(times: &[(f64, usize)], samples: &[(f64, f64)]) -> Vec<(f64, usize)> {
    const MAX_MARKERS: usize = 300;
    let sampled: std::collections::HashSet<u64> = samples.iter().map(|s| s.0.to_bits()).collect();
    let times: Vec<(f64, usize)> = times
        .iter()
        .filter(|c| sampled.contains(&c.0.to_bits()))
        .copied()
        .collect();
    for min_gen in 0..3 {
        let v: Vec<(f64, usize)> = times.iter().filter(|c| c.1 >= min_gen).copied().collect();
        if v.len() <= MAX_MARKERS || min_gen == 2 {
            return thin(&v, MAX_MARKERS);
        }
    }
    unreachable!("the loop returns at min_gen 2")
}

fn sawtooth(area: &Area<'_>, rows: &[SweepRow], title: &str) -> PlotResult {
    // Disabled runs grow without bound and would flatten every sawtooth.
    let mut series: Vec<&SweepRow> = rows
        .iter()
        .filter(|r| !r.config.disabled && !r.result.heap_samples.is_empty())
        .collect();
    // Large thresholds first, so the small ones' many teeth are drawn on top.
    series.sort_by_key(|r| std::cmp::Reverse(r.config.threshold0));
    let xmax = series
        .iter()
        .flat_map(|r| r.result.heap_samples.iter().map(|s| s.0))
        .fold(0.0f64, f64::max)
        .max(1e-3);
    let ymax = series
        .iter()
        .flat_map(|r| r.result.heap_samples.iter().map(|s| s.1 as f64 / 1048576.0))
        .fold(0.0f64, f64::max)
        .max(1e-3)
        * (1.15 + 0.08 * series.len() as f64);
    let mut chart = panel_chart(area, title).build_cartesian_2d(0f64..xmax, 0f64..ymax)?;
    chart
        .configure_mesh()
        .x_desc("time since the script started (ms)")
        .x_label_formatter(&|x| tick_label(*x))
        .y_label_formatter(&|y| tick_label(*y))
        .y_desc("heap MiB")
        .draw()?;
    let multi = combos(rows).len() > 1;
    for r in series {
        let color = threshold_colour(rows, r.config.threshold0);
        let label = if multi {
            format!(
                "{} (t1,t2={},{})",
                r.config.threshold0, r.config.gen1, r.config.gen2
            )
        } else {
            format!("threshold0={}", r.config.threshold0)
        };
        let pts: Vec<(f64, f64)> = r
            .result
            .heap_samples
            .iter()
            .map(|&(t, b)| (t, b as f64 / 1048576.0))
            .collect();
        chart
            .draw_series(LineSeries::new(thin(&pts, 4000), color))?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        for (t, generation) in marked(&r.result.collection_times, &pts) {
            let y = heap_at(&pts, t);
            if generation == 2 {
                chart.draw_series(std::iter::once(TriangleMarker::new(
                    (t, y),
                    5,
                    color.filled(),
                )))?;
            } else {
                chart.draw_series(std::iter::once(Circle::new((t, y), 2, color.filled())))?;
            }
        }
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_labels_have_no_useless_fraction() {
        assert_eq!(tick_label(100.0), "100");
        assert_eq!(tick_label(100000.0), "100k");
        assert_eq!(tick_label(2500.0), "2.5k");
        assert_eq!(tick_label(1e6), "1M");
        assert_eq!(tick_label(0.5), "0.5");
        assert_eq!(tick_label(0.025), "0.025");
        assert_eq!(tick_label(0.001), "0.001");
        assert_eq!(tick_label(0.0), "0");
    }

    #[test]
    fn no_colour_means_both_a_system_and_a_threshold() {
        for i in 0..=20 {
            let t = along(&THRESHOLD_STOPS, i as f64 / 20.0);
            for c in SYSTEM_COLOURS {
                let d = (t.0 as i32 - c.0 as i32).abs()
                    + (t.1 as i32 - c.1 as i32).abs()
                    + (t.2 as i32 - c.2 as i32).abs();
                assert!(d > 60, "{t:?} too close to {c:?}");
            }
            assert!(t.0 < 200 || t.1 > 120, "no red: {t:?}");
        }
        assert_eq!(along(&THRESHOLD_STOPS, 0.0), THRESHOLD_STOPS[0]);
        assert_eq!(along(&THRESHOLD_STOPS, 1.0), THRESHOLD_STOPS[4]);
    }

    #[test]
    fn markers_thin_out_to_the_older_generations() {
        let samples =
            |v: &[(f64, usize)]| -> Vec<(f64, f64)> { v.iter().map(|c| (c.0, 1.0)).collect() };
        let few: Vec<(f64, usize)> = (0..100).map(|i| (i as f64, 0)).collect();
        assert_eq!(marked(&few, &samples(&few)).len(), 100);
        assert_eq!(
            marked(&few, &samples(&few[..10])).len(),
            10,
            "only sampled ones"
        );
        let many: Vec<(f64, usize)> = (0..5000)
            .map(|i| (i as f64, (i % 100 == 0) as usize * 2))
            .collect();
        let m = marked(&many, &samples(&many));
        assert!(m.iter().all(|c| c.1 == 2) && m.len() == 50, "{}", m.len());
    }

    #[test]
    fn heap_between_samples_is_interpolated() {
        let s = [(0.0, 0.0), (10.0, 10.0), (20.0, 0.0)];
        assert_eq!(heap_at(&s, 5.0), 5.0);
        assert_eq!(heap_at(&s, 15.0), 5.0);
        assert_eq!(heap_at(&s, 30.0), 0.0);
    }
}
