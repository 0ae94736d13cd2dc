//! What objects cost: pyheap's `sys.getsizeof` of each built-in next to the running CPython's,
//! where the bytes go, and which pymalloc size class the blocks land in. Shared by
//! `pyheap sizes`, `examples/sizes.rs` and the tour.
//!
//! ```text
//!   GC-capable object (list, tuple, dict, instance, weakref, cell):
//!   ┌─ GcHead 16 B ─┬─ ObjHeader 16 B ─┬─ payload ─────────────┐   getsizeof = 32 + payload
//!   atom (None, int, float, str):
//!                   ┌─ ObjHeader 16 B ─┬─ payload ─┐               getsizeof = 16 + payload
//! ```
//!
//! The rows and their Python twins come from the runtime ([`pyheap_runtime::size_table`]); CPython's
//! figures are measured by running `python3 -S` once (one `sys.getsizeof` per row), and are
//! `None` when no `python3` is found. The runtime also records CPython 3.11's figures on 64-bit
//! Linux, shown when the local interpreter is absent or of another version.
//!
//! [`block_classes`] measures, rather than computes, where objects land: it makes `n` objects,
//! and reads which size classes' `blocks_in_use` rose in `heap.allocator_stats()`.

use crate::runtime::{Heap, Obj, RuntimeError};
use crate::runtime::{PYTHON_EXPRESSIONS, size_table};
use serde::Serialize;
use std::collections::BTreeMap;
use std::process::Command;

/// Bytes of the collector's link header in front of GC-capable objects.
pub const GC_HEAD: usize = 16;
/// Bytes of every object's header (refcount, type pointer).
pub const HEADER: usize = 16;

/// One line of the sizes table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SizeLine {
    /// The type, e.g. `"list"`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The value measured, e.g. `"[1, 2, 3]"` (may be empty).
    pub what: String,
    /// `heap.sizeof` in pyheap.
    pub ours: usize,
    /// `sys.getsizeof` of the twin in the local `python3`, if one ran.
    pub cpython: Option<usize>,
    /// CPython 3.11's figure on 64-bit Linux (recorded by the runtime).
    pub cpython_3_11: usize,
    /// GC head bytes in `ours` (16 for GC-capable types, else 0).
    pub gc_head: usize,
    /// Object header bytes in `ours` (16).
    pub header: usize,
    /// The rest of `ours`: the type's fields and inline items.
    pub payload: usize,
}

/// Run `script` on the local CPython (`python3 -S -c`) and return its stdout, or `None` when
/// CPython is missing, the script fails or prints something that is not UTF-8.
pub fn run_cpython(script: &str) -> Option<String> {
    let out = Command::new("python3")
        .args(["-S", "-c", script])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

/// The local CPython: its version (`"3.11.7"`) and `sys.getsizeof` of each expression, or
/// `None` when `python3` cannot be run or fails.
pub fn cpython_sizes(exprs: &[&str]) -> Option<(String, Vec<usize>)> {
    let mut script = String::from("import sys\nprint(sys.version.split()[0])\n");
    for e in exprs {
        script.push_str(&format!("print(sys.getsizeof({e}))\n"));
    }
    let text = run_cpython(&script)?;
    let mut lines = text.lines();
    let version = lines.next()?.to_string();
    let sizes: Vec<usize> = lines
        .map(|l| l.trim().parse().ok())
        .collect::<Option<_>>()?;
    (sizes.len() == exprs.len()).then_some((version, sizes))
}

/// The sizes table measured on `heap`, with the local CPython's figures when `python3` runs.
/// Returns the rows and the CPython version measured (if any).
pub fn measure(heap: &Heap) -> Result<(Vec<SizeLine>, Option<String>), RuntimeError> {
    let rows = size_table(heap)?;
    let exprs: Vec<&str> = PYTHON_EXPRESSIONS.iter().map(|(_, e)| *e).collect();
    let local = cpython_sizes(&exprs);
    let gc_types = gc_capable_rows(heap)?;
    let lines = rows
        .iter()
        .map(|r| {
            let (ty, what) = split_name(r.name);
            let cpython = local.as_ref().and_then(|(_, v)| {
                PYTHON_EXPRESSIONS
                    .iter()
                    .position(|(n, _)| *n == r.name)
                    .map(|i| v[i])
            });
            let gc_head = if gc_types.get(r.name).copied().unwrap_or(false) {
                GC_HEAD
            } else {
                0
            };
            SizeLine {
                type_name: ty,
                what,
                ours: r.ours,
                cpython,
                cpython_3_11: r.cpython_3_11,
                gc_head,
                header: HEADER,
                payload: r.ours.saturating_sub(gc_head + HEADER),
            }
        })
        .collect();
    Ok((lines, local.map(|(v, _)| v)))
}

/// `"list [1, 2, 3]"` → (`"list"`, `"[1, 2, 3]"`); `"instance, 2 slots"` → (`"instance"`,
/// `"2 slots"`).
fn split_name(name: &str) -> (String, String) {
    match name.split_once(' ') {
        Some((t, w)) => (t.trim_end_matches(',').to_string(), w.to_string()),
        None => (name.to_string(), String::new()),
    }
}

/// Which rows of the runtime's table are GC-capable types (checked on one object of each kind,
/// not assumed).
fn gc_capable_rows(heap: &Heap) -> Result<BTreeMap<&'static str, bool>, RuntimeError> {
    let cls = heap.new_class(crate::runtime::ClassSpec::new("I"))?;
    let slots = heap.new_class(crate::runtime::ClassSpec::new("S").with_slots(&["a", "b"]))?;
    let inst = cls.instantiate()?;
    let samples: Vec<(&str, Obj)> = vec![
        ("None", heap.none()),
        ("int", heap.int(1000)?),
        ("float", heap.float(1.5)?),
        ("str", heap.str("abc")?.into_obj()),
        ("tuple", heap.tuple(&[heap.int(1)?])?.into_obj()),
        ("list", heap.list(&[])?.into_obj()),
        ("dict", heap.dict()?.into_obj()),
        ("instance, 2 attrs", inst.obj()),
        ("instance, 2 slots", slots.instantiate()?.into_obj()),
        ("weakref", heap.weakref(&inst, None)?.into_obj()),
        ("cell", heap.cell(None)?.into_obj()),
    ];
    let mut out = BTreeMap::new();
    for (name, _) in PYTHON_EXPRESSIONS {
        let gc = samples
            .iter()
            .find(|(p, _)| name.starts_with(p))
            .is_some_and(|(_, o)| o.type_object().is_gc());
        out.insert(*name, gc);
    }
    Ok(out)
}

/// One JSON object per line: `{"type":"list","what":"[]","ours":56,"cpython":56,...}`.
pub fn to_json_lines(lines: &[SizeLine]) -> String {
    lines
        .iter()
        .map(|l| serde_json::to_string(l).expect("a size line serializes") + "\n")
        .collect()
}

/// The table as text, with `n/a` where CPython was not measured.
pub fn to_text(lines: &[SizeLine], cpython_version: Option<&str>) -> String {
    let col = match cpython_version {
        Some(v) => format!("CPython {v}"),
        None => "CPython (no python3)".to_string(),
    };
    let mut s = format!(
        "{:<10} {:<18} {:>6} {:>20} {:>9}   bytes = GC head + header + payload\n",
        "type", "value", "pyheap", col, "3.11 ref"
    );
    for l in lines {
        let cp = l.cpython.map_or("n/a".to_string(), |c| c.to_string());
        s.push_str(&format!(
            "{:<10} {:<18} {:>6} {:>20} {:>9}   {:>2} + {} + {}\n",
            l.type_name, l.what, l.ours, cp, l.cpython_3_11, l.gc_head, l.header, l.payload
        ));
    }
    s
}

/// Where `n` objects made by `make` land in pymalloc: `(block size, blocks added)` for every
/// size class whose `blocks_in_use` rose, smallest class first. The objects are kept alive
/// until the measurement is taken, then dropped. Free lists can serve a request without a new
/// block: measure on a heap whose free lists are empty (`heap.clear_freelists()`).
pub fn block_classes<'h>(
    heap: &'h Heap,
    n: usize,
    mut make: impl FnMut(usize) -> Result<Obj<'h>, RuntimeError>,
) -> Result<Vec<(usize, usize)>, RuntimeError> {
    heap.clear_freelists();
    let per_class = |heap: &Heap| -> BTreeMap<usize, usize> {
        heap.allocator_stats()
            .classes
            .iter()
            .map(|c| (c.size, c.blocks_in_use))
            .collect()
    };
    let before = per_class(heap);
    let mut keep = Vec::with_capacity(n);
    for i in 0..n {
        keep.push(make(i)?);
    }
    let after = per_class(heap);
    drop(keep);
    Ok(after
        .into_iter()
        .filter_map(|(size, b)| {
            let a = before.get(&size).copied().unwrap_or(0);
            (b > a).then_some((size, b - a))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_add_up_and_are_not_larger_than_cpython_3_11() {
        let heap = Heap::new();
        let (lines, _) = measure(&heap).unwrap();
        assert_eq!(lines.len(), PYTHON_EXPRESSIONS.len());
        for l in &lines {
            assert_eq!(l.gc_head + l.header + l.payload, l.ours, "{l:?}");
            assert!(l.ours <= l.cpython_3_11, "{l:?}");
        }
        let list = lines.iter().find(|l| l.what == "[]").unwrap();
        assert_eq!((list.type_name.as_str(), list.gc_head), ("list", 16));
        let none = lines.iter().find(|l| l.type_name == "None").unwrap();
        assert_eq!((none.gc_head, none.ours), (0, 16));
    }

    #[test]
    fn a_thousand_ints_take_a_thousand_blocks_of_one_class() {
        let heap = Heap::new();
        let classes = block_classes(&heap, 1000, |i| heap.int(1000 + i as i64)).unwrap();
        let size = heap.sizeof(&heap.int(5000).unwrap());
        assert_eq!(classes.len(), 1, "{classes:?}");
        let (block, blocks) = classes[0];
        assert_eq!(blocks, 1000);
        assert!(
            block >= size && block < size + 16,
            "{size} B in {block} B blocks"
        );
    }
}
