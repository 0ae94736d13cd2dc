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

const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
];

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
    by_threshold(&panels[0], rows, "time (ms)", |r| r.result.time_ms)?;
    by_threshold(&panels[1], rows, "max pause (ms)", |r| {
        r.result.pause_summary().max_ms
    })?;
    by_threshold(&panels[2], rows, "peak RSS (MiB)", |r| {
        r.result.peak_rss_kib as f64 / 1024.0
    })?;
    sawtooth(&panels[3], rows)?;
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
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d((xmin..xmax).log_scale(), 0f64..ymax)?;
    chart
        .configure_mesh()
        .x_desc("threshold0")
        .y_desc(what)
        .draw()?;
    for (i, sys) in systems(rows).iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
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
        .y_desc("heap MiB")
        .draw()?;
    for (i, r) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
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
