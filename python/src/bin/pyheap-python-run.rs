//! A minimal runner for the crate's own tests: `pyheap-python-run FILE.py [ARGS..]` (the
//! real CLI is `pyheap run`).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: pyrun FILE.py [ARGS..]");
        std::process::exit(2);
    };
    let config = pyheap_python::RunConfig {
        argv: args.clone(),
        ..Default::default()
    };
    std::process::exit(pyheap_python::run_file(std::path::Path::new(path), config));
}
