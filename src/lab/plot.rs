//! SVG plots of a sweep (plotters' SVG backend: text is emitted as `<text>` elements, so no
//! system fonts are needed).
//!
//! ```text
//!  ┌──────────────────────┬──────────────────────┐
//!  │ time (ms)            │ max pause (ms)       │   x = threshold0 (log scale),
//!  │   vs threshold0      │   vs threshold0      │   one line per system
//!  ├──────────────────────┼──────────────────────┤
//!  │ peak RSS (MiB)       │ heap bytes over time │   sawtooth: one line per threshold0
//!  │   vs threshold0      │   (pyheap)           │   (~400 samples per run)
//!  └──────────────────────┴──────────────────────┘
//! ```
//! Runs with automatic collection disabled have no threshold and are left out of the plots (the
//! table and JSON lines show them).

use super::sweep::SweepRow;
use plotters::prelude::*;
use std::path::Path;

/// Colours of the systems (pyheap, cpython, ...): one hue each, never reused for thresholds.
const SYSTEM_COLOURS: [RGBColor; 3] = [
    RGBColor(31, 119, 180), // pyheap: blue
    RGBColor(40, 40, 40),   // cpython: near black
    RGBColor(140, 86, 75),  // a third system: brown
];

/// Colours of the thresholds (sawtooth lines): a sequential scale from dark purple (small
/// threshold0) to yellow-green (large), no blue, black or red, so no colour means two things.
const THRESHOLD_COLOURS: [RGBColor; 6] = [
    RGBColor(68, 1, 84),
    RGBColor(72, 40, 120),
    RGBColor(49, 104, 142),
    RGBColor(33, 145, 140),
    RGBColor(53, 183, 121),
    RGBColor(160, 218, 57),
];

/// The one-sentence caption under each panel, in panel order.
pub const CAPTIONS: [&str; 4] = [
    "Wall time of the whole run at each threshold0: lower is faster.",
    "The longest single collection pause of the run at each threshold0.",
    "Peak resident memory of the run's process at each threshold0.",
    "The heap size of pyheap while the run goes: each drop is a collection freeing cycles.",
];

/// A tick label without a useless fraction: `100`, `2.5`, `100k`, `1M`.
pub fn tick_label(x: f64) -> String {
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

/// Split a panel into the chart and a caption strip, and write the caption.
fn with_caption<'a>(
    area: &DrawingArea<SVGBackend<'a>, plotters::coord::Shift>,
    caption: &str,
) -> Result<DrawingArea<SVGBackend<'a>, plotters::coord::Shift>, Box<dyn std::error::Error>> {
    let h = area.dim_in_pixel().1 as i32;
    let (chart, strip) = area.split_vertically(h - 26);
    strip.draw(&Text::new(
        caption.to_string(),
        (16, 4),
        ("sans-serif", 14).into_font().color(&RGBColor(60, 60, 60)),
    ))?;
    Ok(chart)
}

type PlotResult = Result<(), Box<dyn std::error::Error>>;

/// Write the four-panel SVG for `rows` to `path`.
pub fn write_svg(rows: &[SweepRow], path: &Path) -> PlotResult {
    let workload = rows
        .first()
        .map(|r| r.config.workload.as_str())
        .unwrap_or("?");
    let root = SVGBackend::new(path, (1200, 900)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(&format!("pyheap sweep: {workload}"), ("sans-serif", 24))?;
    let panels = root.split_evenly((2, 2));
    let areas = panels
        .iter()
        .zip(CAPTIONS)
        .map(|(p, c)| with_caption(p, c))
        .collect::<Result<Vec<_>, _>>()?;
    by_threshold(&areas[0], rows, "time (ms)", |r| r.result.time_ms)?;
    by_threshold(&areas[1], rows, "max pause (ms)", |r| {
        r.result.pause_summary().max_ms
    })?;
    by_threshold(&areas[2], rows, "peak RSS (MiB)", |r| {
        r.result.peak_rss_kib as f64 / 1024.0
    })?;
    sawtooth(&areas[3], rows)?;
    root.present()?;
    Ok(())
}

fn systems(rows: &[SweepRow]) -> Vec<String> {
    let mut s: Vec<String> = rows.iter().map(|r| r.result.system.clone()).collect();
    s.dedup();
    s.sort();
    s.dedup();
    s
}

fn by_threshold(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    rows: &[SweepRow],
    what: &str,
    value: impl Fn(&SweepRow) -> f64,
) -> PlotResult {
    let pts: Vec<&SweepRow> = rows.iter().filter(|r| !r.config.disabled).collect();
    let xmin = pts
        .iter()
        .map(|r| r.config.threshold0.max(1))
        .min()
        .unwrap_or(1) as f64;
    let xmax = pts
        .iter()
        .map(|r| r.config.threshold0.max(1))
        .max()
        .unwrap_or(10) as f64;
    let (xmin, xmax) = if xmin == xmax {
        (xmin / 2.0, xmax * 2.0)
    } else {
        (xmin, xmax)
    };
    let ymax = pts
        .iter()
        .map(|r| value(r))
        .fold(0.0f64, f64::max)
        .max(1e-6)
        * 1.1;
    let mut chart = ChartBuilder::on(area)
        .caption(format!("{what} vs threshold0"), ("sans-serif", 18))
        .margin(12)
        // Room for the last x tick label, which plotters centres on the right edge.
        .margin_right(32)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d((xmin..xmax).log_scale(), 0f64..ymax)?;
    chart
        .configure_mesh()
        .x_desc("threshold0")
        .x_label_formatter(&|x| tick_label(*x))
        .y_label_formatter(&|y| tick_label(*y))
        .y_desc(what)
        .draw()?;
    for (i, sys) in systems(rows).iter().enumerate() {
        let color = SYSTEM_COLOURS[i % SYSTEM_COLOURS.len()];
        let mut line: Vec<(f64, f64)> = pts
            .iter()
            .filter(|r| &r.result.system == sys)
            .map(|r| (r.config.threshold0.max(1) as f64, value(r)))
            .collect();
        line.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart
            .draw_series(LineSeries::new(line.clone(), color.stroke_width(2)))?
            .label(sys.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        chart.draw_series(line.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

fn sawtooth(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    rows: &[SweepRow],
) -> PlotResult {
    // Disabled runs grow without bound and would flatten every sawtooth.
    let series: Vec<&SweepRow> = rows
        .iter()
        .filter(|r| !r.config.disabled && !r.result.heap_samples.is_empty())
        .collect();
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
        * 1.1;
    let mut chart = ChartBuilder::on(area)
        .caption(
            "pyheap heap size over time (enabled runs)",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..xmax, 0f64..ymax)?;
    chart
        .configure_mesh()
        .x_desc("ms")
        .x_label_formatter(&|x| tick_label(*x))
        .y_desc("heap MiB")
        .draw()?;
    for (i, r) in series.iter().enumerate() {
        let color = THRESHOLD_COLOURS[i % THRESHOLD_COLOURS.len()];
        let label = if r.config.disabled {
            "disabled".to_string()
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
            .draw_series(LineSeries::new(pts, color))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
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
    }

    #[test]
    fn no_colour_means_both_a_system_and_a_threshold() {
        for c in SYSTEM_COLOURS {
            assert!(!THRESHOLD_COLOURS.contains(&c));
        }
    }
}
