//! `pyheap sizes [--json]`: the flat size of each built-in in pyheap next to `sys.getsizeof` of
//! the local CPython (`python3 -S`; `n/a` / `null` when there is none) and CPython 3.11's
//! recorded figure. The measuring lives in [`pyheap::inspect::sizes`].
use super::CliError;
use pyheap::inspect::sizes;
use pyheap::runtime::Heap;

#[derive(clap::Args, Debug)]
pub struct SizesArgs {
    /// One JSON object per line: `{"type": "list", "what": "[]", "ours": 56, "cpython": 56, ..}`.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: SizesArgs) -> Result<(), CliError> {
    let heap = Heap::new();
    let (lines, version) =
        sizes::measure(&heap).map_err(|e| CliError::Usage(format!("measuring sizes: {e}")))?;
    if args.json {
        print!("{}", sizes::to_json_lines(&lines));
    } else {
        println!("sys.getsizeof, in bytes (pyheap: GC head, header and payload; 64-bit)");
        print!("{}", sizes::to_text(&lines, version.as_deref()));
    }
    Ok(())
}
