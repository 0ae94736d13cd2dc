//! Heap snapshots by type, their diff sorted by growth, and the "relative heap" (objects new
//! since a baseline) — tracemalloc's `Snapshot.compare_to`, objgraph's `show_growth` and
//! `most_common_types`, heapy's `setrelheap`, over the pyheap heap.
//!
//! ```text
//!   before = Snapshot::take(&heap)          Foo × 100 created
//!   after  = Snapshot::take(&heap)   ──▶   after.compare_to(&before)
//!                                           type   count   Δcount   bytes   Δbytes
//!                                           Foo      100     +100    4800    +4800
//! ```
//!
//! **What a snapshot sees** (objgraph's semantics): the objects tracked by the collector
//! (`gc.get_objects()`, generations 0–2) plus the untracked objects they directly reference
//! (strings, numbers, atom-only tuples and dicts), each object once — see
//! [`super::heap_graph::objgraph_view`]. Not seen: objects referenced only by handles and by
//! nothing tracked (a lone `heap.str(..)` in Rust code), objects only reachable through untracked
//! containers, and frozen objects (`gc.freeze()`). Immortal objects (None, small ints, interned
//! strings) are seen when something tracked references them, like in objgraph.
//!
//! **Bytes** are `sys.getsizeof` figures (`heap.sizeof`: flat size, GC head included; a list's
//! item array is in it, like CPython's `list.__sizeof__`, an instance's out-of-line attribute
//! table is not), not allocator blocks (those are rounded up to a size class).
//!
//! **The tool's own allocations are excluded** by construction: a snapshot allocates nothing in
//! the heap (its tables are Rust memory), and the handles it takes while counting are dropped
//! before [`Snapshot::take`] returns, so refcounts and `blocks_in_use` are unchanged (tested).
//!
//! **The relative heap** ([`Snapshot::new_objects`]) compares object identities: an object
//! freed after the baseline whose address is reused by a new object of the *same type* is not
//! reported as new (addresses, like CPython's `id`, are only unique among live objects).

use super::heap_graph::objgraph_view;
use crate::runtime::{Heap, Obj};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

/// Count and bytes of one type in a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeCount {
    /// `type(o).__name__` (a class's name for its instances).
    #[serde(rename = "type")]
    pub type_name: String,
    /// Objects of the type.
    pub count: usize,
    /// Sum of `heap.sizeof` over the objects.
    pub bytes: usize,
}

/// The heap by type at one moment (see the module docs for which objects it sees).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Snapshot {
    /// One entry per type, by name.
    pub types: BTreeMap<String, TypeCount>,
    /// Objects seen.
    pub total_count: usize,
    /// Sum of their flat sizes.
    pub total_bytes: usize,
    /// `(id, type name)` of every object seen (for the relative heap).
    #[serde(skip)]
    ids: HashSet<(usize, String)>,
}

/// One line of a snapshot diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrowthRow {
    /// The type's name.
    #[serde(rename = "type")]
    pub type_name: String,
    /// Count in the newer snapshot.
    pub count: usize,
    /// Newer count − older count.
    pub count_diff: i64,
    /// Bytes in the newer snapshot.
    pub bytes: usize,
    /// Newer bytes − older bytes.
    pub bytes_diff: i64,
}

fn diff(a: usize, b: usize) -> i64 {
    a as i64 - b as i64
}

impl Snapshot {
    /// Count the heap's objects by type.
    pub fn take(heap: &Heap) -> Snapshot {
        Self::of_objects(heap, &objgraph_view(heap))
    }

    /// A snapshot of the given objects only (each counted once per occurrence; pass distinct
    /// objects).
    pub fn of_objects<'h>(heap: &'h Heap, objs: &[Obj<'h>]) -> Snapshot {
        let mut s = Snapshot::default();
        for o in objs {
            let name = o.type_name();
            let bytes = heap.sizeof(o);
            let t = s
                .types
                .entry(name.to_string())
                .or_insert_with(|| TypeCount {
                    type_name: name.to_string(),
                    count: 0,
                    bytes: 0,
                });
            t.count += 1;
            t.bytes += bytes;
            s.total_count += 1;
            s.total_bytes += bytes;
            s.ids.insert((heap.id(o), name.to_string()));
        }
        s
    }

    /// objgraph's `most_common_types(limit=n)`: the `n` types with most objects, most first
    /// (ties by name).
    pub fn most_common_types(&self, n: usize) -> Vec<TypeCount> {
        let mut v: Vec<TypeCount> = self.types.values().cloned().collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.type_name.cmp(&b.type_name)));
        v.truncate(n);
        v
    }

    /// tracemalloc's `compare_to`: one row per type whose count or bytes changed since `older`,
    /// largest count growth first (then bytes growth, then name). A no-op gives no rows.
    pub fn compare_to(&self, older: &Snapshot) -> Vec<GrowthRow> {
        let names: std::collections::BTreeSet<&String> =
            self.types.keys().chain(older.types.keys()).collect();
        let mut rows: Vec<GrowthRow> = names
            .into_iter()
            .map(|n| {
                let (c, b) = self.types.get(n).map_or((0, 0), |t| (t.count, t.bytes));
                let (oc, ob) = older.types.get(n).map_or((0, 0), |t| (t.count, t.bytes));
                GrowthRow {
                    type_name: n.clone(),
                    count: c,
                    count_diff: diff(c, oc),
                    bytes: b,
                    bytes_diff: diff(b, ob),
                }
            })
            .filter(|r| r.count_diff != 0 || r.bytes_diff != 0)
            .collect();
        rows.sort_by(|a, b| {
            b.count_diff
                .cmp(&a.count_diff)
                .then(b.bytes_diff.cmp(&a.bytes_diff))
                .then(a.type_name.cmp(&b.type_name))
        });
        rows
    }

    /// heapy's relative heap: the objects seen now (same view as [`Snapshot::take`]) that were
    /// not in this (baseline) snapshot, in `gc.get_objects()` order.
    pub fn new_objects<'h>(&self, heap: &'h Heap) -> Vec<Obj<'h>> {
        objgraph_view(heap)
            .into_iter()
            .filter(|o| !self.ids.contains(&(heap.id(o), o.type_name().to_string())))
            .collect()
    }

    /// A snapshot of [`Snapshot::new_objects`] (heapy's `hp.heap()` after `hp.setrelheap()`).
    pub fn relative(&self, heap: &Heap) -> Snapshot {
        Snapshot::of_objects(heap, &self.new_objects(heap))
    }

    /// The snapshot as JSON: `{"types": {"list": {"type": "list", "count": 3, "bytes": 168}, ..},
    /// "total_count": .., "total_bytes": ..}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a snapshot serializes")
    }

    /// objgraph's `show_most_common_types` text: `name  count  bytes` per line.
    pub fn render_most_common(&self, n: usize) -> String {
        let rows = self.most_common_types(n);
        let w = type_column_width(rows.iter().map(|r| r.type_name.as_str()));
        let mut s = String::new();
        for r in rows {
            writeln!(s, "{:<w$} {:>9} {:>11} B", r.type_name, r.count, r.bytes).unwrap();
        }
        s
    }
}

/// Width of the type-name column of the objgraph-style tables (at least 4).
fn type_column_width<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    names.map(str::len).max().unwrap_or(4).max(4)
}

/// objgraph's `show_growth` text: the first `limit` rows, `type  count  +Δcount`, growth only
/// (rows whose count did not rise are left out, as objgraph does).
pub fn show_growth(rows: &[GrowthRow], limit: usize) -> String {
    let rows: Vec<&GrowthRow> = rows
        .iter()
        .filter(|r| r.count_diff > 0)
        .take(limit)
        .collect();
    let w = type_column_width(rows.iter().map(|r| r.type_name.as_str()));
    let mut s = String::new();
    for r in rows {
        writeln!(s, "{:<w$} {:>9} {:>+9}", r.type_name, r.count, r.count_diff).unwrap();
    }
    s
}

/// tracemalloc's `compare_to` statistics text, one line per row (all changes, growth first):
/// `Foo: size=4800 B (+4800 B), count=100 (+100), average=48 B`.
pub fn render_compare(rows: &[GrowthRow], limit: usize) -> String {
    let mut s = String::new();
    for r in rows.iter().take(limit) {
        let avg = r.bytes.checked_div(r.count).unwrap_or(0);
        writeln!(
            s,
            "{}: size={} B ({:+} B), count={} ({:+}), average={} B",
            r.type_name, r.bytes, r.bytes_diff, r.count, r.count_diff, avg
        )
        .unwrap();
    }
    s
}

/// The rows as JSON lines, one object per row:
/// `{"type":"Foo","count":100,"count_diff":100,"bytes":4800,"bytes_diff":4800}`.
pub fn growth_json_lines(rows: &[GrowthRow]) -> String {
    rows.iter()
        .map(|r| serde_json::to_string(r).expect("a row serializes") + "\n")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::ClassSpec;

    #[test]
    fn hundred_instances_show_as_plus_hundred() {
        let heap = Heap::new();
        let foo = heap.new_class(ClassSpec::new("Foo")).unwrap();
        let keep = heap.list(&[]).unwrap();
        let before = Snapshot::take(&heap);
        for _ in 0..100 {
            keep.append(&foo.instantiate().unwrap()).unwrap();
        }
        let after = Snapshot::take(&heap);
        let rows = after.compare_to(&before);
        let one = heap.sizeof(&keep.get(0).unwrap());
        assert_eq!(rows[0].type_name, "Foo", "{rows:?}");
        assert_eq!(rows[0].count_diff, 100);
        assert_eq!(rows[0].count, 100);
        assert_eq!(rows[0].bytes_diff, 100 * one as i64);
        // The list grew its item array: its bytes changed, its count did not.
        let list = rows.iter().find(|r| r.type_name == "list").unwrap();
        assert_eq!(list.count_diff, 0);
        assert!(list.bytes_diff > 0);
        assert_eq!(rows.len(), 2, "{rows:?}");

        let text = show_growth(&rows, 10);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.starts_with("Foo") && text.trim_end().ends_with("+100"),
            "{text}"
        );
        let tm = render_compare(&rows, 10);
        assert!(tm.contains("Foo: size="), "{tm}");
        assert!(tm.contains("count=100 (+100)"), "{tm}");

        let j: serde_json::Value =
            serde_json::from_str(growth_json_lines(&rows).lines().next().unwrap()).unwrap();
        assert_eq!(j["type"], "Foo");
        assert_eq!(j["count_diff"], 100);
        let back: Snapshot = serde_json::from_str(&after.to_json()).unwrap();
        assert_eq!(back.types["Foo"].count, 100);
        assert_eq!(back.total_count, after.total_count);

        assert_eq!(after.most_common_types(1)[0].type_name, "Foo");
        assert!(after.render_most_common(3).starts_with("Foo"));

        // The relative heap: exactly the 100 new instances.
        let new = before.new_objects(&heap);
        assert_eq!(new.len(), 100);
        assert!(new.iter().all(|o| o.type_name() == "Foo"));
        assert_eq!(before.relative(&heap).total_count, 100);
        drop(new);
        keep.clear();
    }

    #[test]
    fn noop_diff_is_empty_and_taking_allocates_nothing() {
        let heap = Heap::new();
        let a = heap.list(&[heap.str("x").unwrap().into_obj()]).unwrap();
        let d = heap.dict().unwrap();
        d.set(&heap.int(1000).unwrap(), &a).unwrap();
        let blocks = heap.blocks_in_use();
        let rc = heap.getrefcount(&a);
        let s1 = Snapshot::take(&heap);
        let s2 = Snapshot::take(&heap);
        assert_eq!(heap.blocks_in_use(), blocks);
        assert_eq!(heap.getrefcount(&a), rc);
        assert!(s2.compare_to(&s1).is_empty());
        assert!(s1.new_objects(&heap).is_empty());
        // objgraph view: the tracked list and dict, plus the str and int they reference.
        assert_eq!(s1.types["list"].count, 1);
        assert_eq!(s1.types["dict"].count, 1);
        assert_eq!(s1.types["str"].count, 1);
        assert_eq!(s1.types["int"].count, 1);
        assert_eq!(s1.total_count, 4);
        assert_eq!(
            s1.total_bytes,
            heap.sizeof(&a) + heap.sizeof(&d) + s1.types["str"].bytes + s1.types["int"].bytes
        );
        // Dropping shows as negative growth, sorted last.
        drop(d);
        let s3 = Snapshot::take(&heap);
        let rows = s3.compare_to(&s1);
        assert!(rows.iter().all(|r| r.count_diff < 0), "{rows:?}");
        assert!(show_growth(&rows, 10).is_empty());
    }
}
