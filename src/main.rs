//! The `pyheap` command: `cargo run --release` runs the tour; see `pyheap --help`.
use clap::Parser;
use clap::error::ErrorKind;

#[path = "benchkit/mod.rs"]
#[allow(dead_code)] // the lab's copy uses the rest; the bench commands use what they time
mod benchkit;
mod cli;

fn main() {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        // --help and --version print as clap renders them.
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            // Every other argument error: one line, like the command's own errors.
            // (clap lists the missing arguments on the lines under the first: they join it.)
            let text = e.to_string();
            let head: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            let first = if head.is_empty() {
                "bad arguments".to_string()
            } else {
                head.join(" ")
            };
            let msg = first.strip_prefix("error: ").unwrap_or(&first);
            eprintln!("pyheap: error: {msg} (see pyheap --help)");
            std::process::exit(2);
        }
    };
    if let Err(e) = cli::run(args) {
        eprintln!("pyheap: error: {e}");
        std::process::exit(2);
    }
}
