//! The built-in workloads as Python files (`lab/workloads/NAME.py`), embedded in the binary so
//! `pyheap sweep --workload NAME` works from any directory. A sweep writes the chosen file into a
//! temporary directory and then runs it exactly like a user's `--script FILE.py`: one code path
//! for built-in and user workloads.
//!
//! ```text
//!   --workload churn ──► lab/workloads/churn.py (include_str!) ──► $TMP/pyheap-lab-PID/churn.py
//!   --script my.py   ───────────────────────────────────────────► my.py
//!                                      both ──► pyheap child, python3 -S wrapper
//! ```
//! Each file takes one optional argument, SCALE, multiplying its iteration count (`--quick`
//! passes 0.05); its docstring says what it does.

use super::LabError;
use std::path::{Path, PathBuf};

/// (name, source) of every built-in workload, in `--workload` order.
pub const BUILTIN: [(&str, &str); 6] = [
    ("churn", include_str!("../../lab/workloads/churn.py")),
    ("growth", include_str!("../../lab/workloads/growth.py")),
    ("trees", include_str!("../../lab/workloads/trees.py")),
    ("acyclic", include_str!("../../lab/workloads/acyclic.py")),
    (
        "pyperf_gc_collect",
        include_str!("../../lab/workloads/pyperf_gc_collect.py"),
    ),
    (
        "pyperf_gc_traversal",
        include_str!("../../lab/workloads/pyperf_gc_traversal.py"),
    ),
];

/// The source of built-in workload `name`.
pub fn source(name: &str) -> Result<&'static str, LabError> {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
        .ok_or_else(|| LabError::UnknownWorkload(name.to_string()))
}

/// A directory of materialised built-in scripts, removed when dropped.
pub struct ScriptDir {
    dir: PathBuf,
}

impl ScriptDir {
    /// A fresh directory under the system temp dir, named after this process.
    pub fn new() -> Result<ScriptDir, LabError> {
        let dir = std::env::temp_dir().join(format!("pyheap-lab-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| LabError::Unwritable {
            path: dir.display().to_string(),
            source: e,
        })?;
        Ok(ScriptDir { dir })
    }

    /// The directory itself (child result files go here too).
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Write built-in workload `name` as `NAME.py` and return its path.
    pub fn materialise(&self, name: &str) -> Result<PathBuf, LabError> {
        let src = source(name)?;
        let path = self.dir.join(format!("{name}.py"));
        std::fs::write(&path, src).map_err(|e| LabError::Unwritable {
            path: path.display().to_string(),
            source: e,
        })?;
        Ok(path)
    }
}

impl Drop for ScriptDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rust_twin_has_its_python_file() {
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, super::super::workloads::NAMES);
        for (name, src) in BUILTIN {
            assert!(src.starts_with(&format!("\"\"\"{name}:")), "{name}");
            assert!(src.contains("sys.argv[1]"), "{name} takes SCALE");
        }
        assert!(matches!(
            source("nope"),
            Err(LabError::UnknownWorkload(n)) if n == "nope"
        ));
    }
}
