//! `pyheap sweep`: the threshold lab (see `pyheap::lab`).
use super::CliError;
use pyheap::lab::{self, LabConfig, sweep};

#[derive(clap::Args, Debug)]
pub struct SweepArgs {
    /// Workload: churn, growth, trees, acyclic, pyperf_gc_collect, pyperf_gc_traversal.
    #[arg(long, default_value = "churn")]
    pub workload: String,
    /// Comma-separated threshold0 values.
    #[arg(long, default_value = "100,700,2000,10000,100000")]
    pub thresholds: String,
    /// threshold1 (generation-0 collections per generation-1 collection).
    #[arg(long, default_value_t = 10)]
    pub gen1: usize,
    /// threshold2 (generation-1 collections per full collection).
    #[arg(long, default_value_t = 10)]
    pub gen2: usize,
    /// Full collections wait until long_lived_pending >= long_lived_total * RATIO.
    #[arg(long, default_value_t = 0.25, allow_negative_numbers = true)]
    pub full_ratio: f64,
    /// Also run once with automatic collection disabled.
    #[arg(long)]
    pub disabled: bool,
    /// Run CPython's twin (python3 -S) with the same settings and add its rows.
    #[arg(long)]
    pub cpython: bool,
    /// One JSON object per configuration instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Write plots (time, max pause, peak RSS vs threshold0; heap sawtooth) to this SVG file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<std::path::PathBuf>,
    /// Workloads at 5 % of their documented size (smoke runs).
    #[arg(long)]
    pub quick: bool,
}

pub fn run(a: SweepArgs) -> Result<(), CliError> {
    let plan = sweep::SweepPlan {
        workload: a.workload.clone(),
        thresholds: lab::parse_thresholds(&a.thresholds)?,
        gen1: a.gen1,
        gen2: a.gen2,
        full_ratio: a.full_ratio,
        disabled: a.disabled,
        cpython: a.cpython,
        scale: if a.quick { 0.05 } else { 1.0 },
    };
    plan.validate()?;
    // Fail on an unwritable SVG path before spending minutes on the runs.
    if let Some(p) = &a.svg {
        std::fs::write(p, b"").map_err(|e| lab::LabError::Unwritable {
            path: p.display().to_string(),
            source: e,
        })?;
    }
    let exe = std::env::current_exe()?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .expect("static template"),
    );
    let rows = sweep::run(
        &plan,
        &sweep::Runner::ChildProcess(exe),
        |done, total, label| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(label.to_string());
        },
    )?;
    bar.finish_and_clear();
    if a.json {
        for r in &rows {
            println!(
                "{}",
                serde_json::to_string(&r.json()).expect("rows serialise")
            );
        }
    } else {
        if a.cpython {
            let v = lab::cpython::version().unwrap_or_else(|| "?".into());
            println!(
                "workload {} (pyheap vs CPython {v}; CPython ignores --full-ratio)",
                plan.workload
            );
        } else {
            println!("workload {}", plan.workload);
        }
        print!("{}", sweep::table(&rows));
    }
    if let Some(p) = &a.svg {
        lab::plot::write_svg(&rows, p)
            .map_err(|e| CliError::Usage(format!("cannot draw {}: {e}", p.display())))?;
        if !a.json {
            println!("plots written to {}", p.display());
        }
    }
    Ok(())
}

/// Hidden `lab-run CONFIG_JSON`: run one configuration and print its RunResult as JSON.
pub fn lab_run(config_json: &str) -> Result<(), CliError> {
    let cfg: LabConfig = serde_json::from_str(config_json)
        .map_err(|e| CliError::Usage(format!("lab-run: bad configuration JSON: {e}")))?;
    let r = lab::workloads::run(&cfg)?;
    println!("{}", serde_json::to_string(&r).expect("results serialise"));
    Ok(())
}
