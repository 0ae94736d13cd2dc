//! Leaks the profiler way, about a running program: growth by type between two points
//! (objgraph's `show_growth`), the new objects by the source line that allocated them
//! (tracemalloc's `statistics("lineno")`), and "why is this alive?" for the top growing type.
//! The data behind `pyheap run --leaks`.
//!
//! ```text
//!   point A ── Snapshot::take ──┐                         ┌── new objects (A's relative heap)
//!   line hook ─▶ LeakRecorder::line(heap, line)           │      │ site of each: its line
//!   gc "start" ─▶ LeakRecorder::scan(heap)                │      ▼
//!   point B ── Snapshot::take ──┴─▶ B.compare_to(A) ──────┴─▶ by type · by line · backref chain
//! ```
//!
//! **Which line allocated an object** ([`SITE_RULE`]): the heap has no allocation hook, so the
//! recorder looks at generation 0, where every newly tracked object starts. Before each line of
//! the program runs, and at the start of every collection (before the objects can leave
//! generation 0), each object of generation 0 not seen before is charged to the line that was
//! running since the last look. A call line is charged with what it allocates before the
//! callee's first line (the instance `Foo()` makes, before `__init__` runs). Untracked objects
//! (str, int, float, atom-only tuples) have no line: they are counted by type only.
//!
//! Cost: one pass over generation 0 per line event (bounded by threshold 0, 700 or 2000
//! objects) and a table of `id → (type, line)` in Rust memory; nothing is allocated in the heap.
//!
//! Identity caveat (as [`super::snapshot`]'s relative heap): an address is only unique among
//! live objects. An object that dies between two looks with no collection in between is
//! forgotten (its id leaves generation 0); an object freed in a collection whose address is
//! reused by a new object of the same type keeps the older object's line.

use super::dot::{backref_chain, chain_to_dot, chain_to_text};
use super::heap_graph::{HeapGraph, objgraph_view};
use super::snapshot::{GrowthRow, Snapshot, show_growth};
use crate::runtime::{Heap, Obj};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// How objects are charged to lines, as the report states it.
pub const SITE_RULE: &str = "a tracked object (instance, list, dict, set, function, ...) is \
    charged to the line that was running when it first appeared in generation 0 (looked at \
    before each line and at the start of each collection); a call line gets what it allocates \
    before the callee's first line; untracked objects (str, int, float, atom-only tuples) have no \
    line";

/// The objects a snapshot of the program counts: [`objgraph_view`] without the built-in
/// methods only the interpreter holds (its cache of native methods, filled on first use, one per
/// built-in type and method name: CPython has these method descriptors from the start, so they
/// are not the program's growth). Returns them and how many were left out.
pub fn program_objects<'h>(heap: &'h Heap) -> (Vec<Obj<'h>>, usize) {
    let view = objgraph_view(heap);
    let graph = HeapGraph::build(heap, &[]);
    let internal = |o: &Obj<'h>| {
        o.type_name() == "builtin_function_or_method"
            && graph.index_of(o).is_some_and(|i| {
                // `view` holds one handle besides the graph's.
                graph.incoming(i) == 0 && graph.external_refs(i, 1).is_some_and(|n| n > 0)
            })
    };
    let before = view.len();
    let kept: Vec<Obj<'h>> = view.into_iter().filter(|o| !internal(o)).collect();
    let left_out = before - kept.len();
    drop(graph);
    (kept, left_out)
}

/// A [`Snapshot`] of [`program_objects`].
pub fn program_snapshot(heap: &Heap) -> Snapshot {
    Snapshot::of_objects(heap, &program_objects(heap).0)
}

/// Where each tracked object was first seen: `(id, type name)` → line.
#[derive(Debug, Default)]
pub struct LeakRecorder {
    /// The line running since the last look (0 before the first line event).
    current: u32,
    /// `by_depth[d - 1]`: the line last started at frame depth `d`.
    by_depth: Vec<u32>,
    sites: HashMap<(usize, String), u32>,
    /// Ids in generation 0 at the last look, and whether a collection ran since.
    last_gen0: HashSet<usize>,
    collected_since: bool,
}

impl LeakRecorder {
    /// A recorder that has seen nothing.
    pub fn new() -> LeakRecorder {
        LeakRecorder::default()
    }

    /// Before `line` runs at frame depth `depth` (1 = module level): charge the new objects of
    /// generation 0 to the line that ran — the caller's line when `entry` (a frame's first
    /// line: the call made them), else the line of the last event — then make `line` the
    /// running one.
    pub fn line(&mut self, heap: &Heap, line: u32, depth: u32, entry: bool) {
        let d = depth.max(1) as usize;
        if entry
            && d >= 2
            && let Some(&caller) = self.by_depth.get(d - 2)
        {
            self.current = caller;
        }
        self.scan(heap);
        self.by_depth.resize(d, 0);
        self.by_depth[d - 1] = line;
        self.current = line;
    }

    /// Look at generation 0 now (also from a collection's "start" callback).
    pub fn scan(&mut self, heap: &Heap) {
        let gen0 = heap.gc().get_objects(Some(0)).unwrap_or_default();
        let mut ids = HashSet::with_capacity(gen0.len());
        for o in &gen0 {
            let id = heap.id(o);
            ids.insert(id);
            self.sites
                .entry((id, o.type_name().to_string()))
                .or_insert(self.current);
        }
        drop(gen0);
        if !self.collected_since {
            // Gone from generation 0 with no collection in between: dead, forget its site.
            let dead: HashSet<usize> = self.last_gen0.difference(&ids).copied().collect();
            if !dead.is_empty() {
                self.sites.retain(|(id, _), _| !dead.contains(id));
            }
        }
        self.last_gen0 = ids;
        self.collected_since = false;
    }

    /// A collection is about to run (call [`LeakRecorder::scan`] first).
    pub fn collection_starts(&mut self) {
        self.collected_since = true;
    }

    /// The line that allocated `o`, if it is tracked and was seen.
    pub fn site(&self, heap: &Heap, o: &Obj<'_>) -> Option<u32> {
        self.sites
            .get(&(heap.id(o), o.type_name().to_string()))
            .copied()
            .filter(|&l| l > 0)
    }
}

/// One line of the by-line table: new objects it allocated, by type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRow {
    /// 1-based line of the program.
    pub line: u32,
    /// New objects charged to it.
    pub count: usize,
    /// Their `sys.getsizeof` sum.
    pub bytes: usize,
    /// Type → count, most first.
    pub types: Vec<(String, usize)>,
}

/// "Why is this alive?" for the top growing type: its name, how many of its objects are new,
/// and the chain of the newest as (text, DOT), `None` when no root reaches it.
pub type Why = (String, usize, Option<(String, String)>);

/// The growth between two points, ready to print.
#[derive(Debug, Clone)]
pub struct LeakReport {
    /// What the two points were.
    pub points: String,
    /// By type, growth first ([`Snapshot::compare_to`]).
    pub rows: Vec<GrowthRow>,
    /// New objects by line, most first.
    pub lines: Vec<LineRow>,
    /// New objects of the tracked kind that no line was charged with.
    pub unsited: usize,
    /// The top growing type, the number of its new objects, and one of them's chain as text
    /// ([`chain_to_text`]) and DOT; `None` chain when no root reaches it.
    pub why: Option<Why>,
}

impl LeakReport {
    /// Compare `before` (point A, a [`program_snapshot`]) with the heap now (point B): types, lines, the chain.
    pub fn build(heap: &Heap, before: &Snapshot, rec: &LeakRecorder, points: &str) -> LeakReport {
        let (objs, _) = program_objects(heap);
        let after = Snapshot::of_objects(heap, &objs);
        drop(objs);
        let rows = after.compare_to(before);
        let kept: HashSet<usize> = program_objects(heap).0.iter().map(|o| heap.id(o)).collect();
        let new: Vec<Obj<'_>> = before
            .new_objects(heap)
            .into_iter()
            .filter(|o| kept.contains(&heap.id(o)))
            .collect();
        let mut by_line: BTreeMap<u32, (usize, usize, BTreeMap<String, usize>)> = BTreeMap::new();
        let mut unsited = 0;
        for o in &new {
            match rec.site(heap, o) {
                Some(l) => {
                    let e = by_line.entry(l).or_default();
                    e.0 += 1;
                    e.1 += heap.sizeof(o);
                    *e.2.entry(o.type_name().to_string()).or_default() += 1;
                }
                None if heap.gc().is_tracked(o) => unsited += 1,
                None => {}
            }
        }
        let mut lines: Vec<LineRow> = by_line
            .into_iter()
            .map(|(line, (count, bytes, types))| {
                let mut types: Vec<(String, usize)> = types.into_iter().collect();
                types.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                LineRow {
                    line,
                    count,
                    bytes,
                    types,
                }
            })
            .collect();
        lines.sort_by(|a, b| b.count.cmp(&a.count).then(a.line.cmp(&b.line)));
        let why = rows.iter().find(|r| r.count_diff > 0).map(|top| {
            let of_type: Vec<&Obj<'_>> = new
                .iter()
                .filter(|o| o.type_name() == top.type_name)
                .collect();
            // The newest one: the last made is the one a loop leaks last.
            (
                top.type_name.clone(),
                of_type.len(),
                of_type.last().map(|t| (*t).clone()),
            )
        });
        // Only the target's handle may remain while the chain is searched (every other handle
        // would look like a reference from outside the heap).
        drop(new);
        let why = why.map(|(ty, n, target)| {
            let chain = target.and_then(|t| {
                backref_chain(heap, &t).map(|c| (chain_to_text(heap, &c), chain_to_dot(heap, &c)))
            });
            (ty, n, chain)
        });
        LeakReport {
            points: points.to_string(),
            rows,
            lines,
            unsited,
            why,
        }
    }

    /// True when no type has more objects at B than at A.
    pub fn no_growth(&self) -> bool {
        self.rows.iter().all(|r| r.count_diff <= 0)
    }

    /// The report as text; `source` gives each line's text.
    pub fn to_text(&self, source: &str, limit: usize) -> String {
        let src: Vec<&str> = source.lines().collect();
        let mut s = String::new();
        writeln!(s, "pyheap leaks: growth {}", self.points).unwrap();
        writeln!(
            s,
            "(a full gc.collect() runs at both points first, as objgraph.show_growth does: \
             garbage cycles are not leaks; the interpreter's cache of built-in methods is not \
             counted)"
        )
        .unwrap();
        if self.no_growth() {
            writeln!(
                s,
                "\nno growth: no type has more objects at the second point"
            )
            .unwrap();
            return s;
        }
        writeln!(
            s,
            "\nby type (objgraph.show_growth: type, count now, +delta):"
        )
        .unwrap();
        s.push_str(&show_growth(&self.rows, limit));
        writeln!(s, "\nnew objects by the line that allocated them:").unwrap();
        writeln!(s, "(rule: {SITE_RULE})").unwrap();
        writeln!(
            s,
            "{:>5}  {:>7}  {:>9}  types / source",
            "line", "objects", "bytes"
        )
        .unwrap();
        for r in self.lines.iter().take(limit) {
            let types: Vec<String> = r.types.iter().map(|(t, n)| format!("{t} ×{n}")).collect();
            let text = src.get(r.line as usize - 1).map_or("", |l| l.trim());
            writeln!(
                s,
                "{:>5}  {:>7}  {:>7} B  {}\n{:>26}{text}",
                r.line,
                r.count,
                r.bytes,
                types.join(", "),
                "│ "
            )
            .unwrap();
        }
        if self.lines.is_empty() {
            writeln!(s, "  (no new tracked object was charged to a line)").unwrap();
        }
        if self.unsited > 0 {
            writeln!(
                s,
                "  + {} new tracked objects with no line (made before the first line or by the \
                 interpreter)",
                self.unsited
            )
            .unwrap();
        }
        if let Some((ty, n, chain)) = &self.why {
            writeln!(
                s,
                "\nwhy is this {ty} alive? (the newest of its {n} new objects: the shortest \
                 chain of references from a root)"
            )
            .unwrap();
            match chain {
                Some((text, _)) => s.push_str(text),
                None => writeln!(
                    s,
                    "  no root reaches it: it hangs from something the heap cannot list"
                )
                .unwrap(),
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::ClassSpec;

    #[test]
    fn objects_are_charged_to_the_line_that_ran_or_to_the_caller() {
        let heap = Heap::new();
        let mut rec = LeakRecorder::new();
        let early = heap.list(&[]).unwrap(); // before the first line: no line
        rec.line(&heap, 1, 1, false);
        let one = heap.list(&[]).unwrap(); // line 1 runs
        rec.line(&heap, 2, 1, false);
        let call = heap.list(&[]).unwrap(); // line 2 makes it, then calls a function
        rec.line(&heap, 10, 2, true); // the callee's first line
        let callee = heap.list(&[]).unwrap();
        rec.line(&heap, 11, 2, false);
        let before_gc = heap.list(&[]).unwrap(); // line 11, then a collection moves it on
        rec.scan(&heap);
        rec.collection_starts();
        heap.gc().collect(0).unwrap();
        assert!(heap.gc().get_objects(Some(0)).unwrap().is_empty());
        rec.line(&heap, 12, 2, false);
        let site = |o: &crate::runtime::List<'_>| rec.site(&heap, &o.obj());
        assert_eq!(site(&early), None);
        assert_eq!(site(&one), Some(1));
        assert_eq!(
            site(&call),
            Some(2),
            "a frame's first line charges its caller"
        );
        assert_eq!(site(&callee), Some(10));
        assert_eq!(site(&before_gc), Some(11), "seen at the collection's start");
        assert_eq!(rec.site(&heap, &heap.str("x").unwrap().into_obj()), None);
    }

    #[test]
    fn report_counts_the_growth_by_type_and_line_and_finds_the_chain() {
        let heap = Heap::new();
        let foo = heap.new_class(ClassSpec::new("Foo")).unwrap();
        let keep = heap.list(&[]).unwrap();
        let mut rec = LeakRecorder::new();
        rec.line(&heap, 1, 1, false);
        let before = program_snapshot(&heap);
        rec.line(&heap, 2, 1, false);
        for _ in 0..30 {
            keep.append(&foo.instantiate().unwrap()).unwrap();
        }
        rec.line(&heap, 3, 1, false);
        let report = LeakReport::build(&heap, &before, &rec, "from 1 to 3");
        assert!(!report.no_growth());
        let top = &report.rows[0];
        assert_eq!((top.type_name.as_str(), top.count_diff), ("Foo", 30));
        assert_eq!(report.lines[0].line, 2);
        assert_eq!(report.lines[0].types, vec![("Foo".to_string(), 30)]);
        let (ty, n, chain) = report.why.clone().unwrap();
        assert_eq!((ty.as_str(), n), ("Foo", 30));
        // `keep` is held by this test's handle: list → [29] → the newest Foo.
        let (text, dot) = chain.expect("a chain");
        assert!(text.contains("[29]─▶ Foo"), "{text}");
        assert!(dot.starts_with("digraph"), "{dot}");
        let out = report.to_text("a\nb\nc\n", 10);
        assert!(out.contains("Foo ×30"), "{out}");
        // Nothing new since: no growth.
        let again = program_snapshot(&heap);
        let none = LeakReport::build(&heap, &again, &rec, "twice the same point");
        assert!(none.no_growth(), "{:?}", none.rows);
        assert!(none.to_text("", 10).contains("no growth"));
        keep.clear();
    }
}
