//! The `pyheap` command: `cargo run --release` runs the tour; see `pyheap --help`.
use clap::Parser;

mod cli;

fn main() {
    let args = cli::Cli::parse();
    if let Err(e) = cli::run(args) {
        eprintln!("pyheap: error: {e}");
        std::process::exit(2);
    }
}
