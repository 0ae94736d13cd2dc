//! `pyheap stats [--json]`: run a demo workload, print the allocator's stats table.
use super::CliError;

#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    /// Print one JSON object instead of the text table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(_args: StatsArgs) -> Result<(), CliError> {
    // Filled in by the allocator work (issue 2).
    println!("(allocator stats: not yet implemented)");
    Ok(())
}
