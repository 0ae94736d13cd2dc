//! Recording a program step by step: after each line, what the names point to, what the
//! allocator and the collector did. The data behind `pyheap trace`'s page ([`super::trace_page`]).
//!
//! ```text
//!   line hook ──▶ Recorder::line(heap, line, function, scopes)
//!                   │ sampling: keep this line event? (rule below)
//!                   ▼
//!                 Step { line, names → objects (type, sys.getrefcount, generation, slots),
//!                        gc.get_count(), occupancy map (template + blocks per pool), the
//!                        drill-down text of each pool whose cell changed (at most 8),
//!                        events since the last step: pools carved/emptied, arenas mapped/
//!                        returned, blocks by size class, large blocks, collections }
//! ```
//!
//! **Sampling rule** ([`SAMPLING_RULE`]): the first [`EVERY_TIME`] runs of each line are
//! kept; after that a line's n-th run is kept only when n is a power of two (so a loop of a
//! million iterations gives about 30 steps per line), except that a line after which a
//! collection ran or an arena was mapped or returned is always kept. Recording stops at
//! [`MAX_STEPS`] steps; the program runs on and a last step shows the end state. Nothing is
//! lost between kept steps: their events are summed into the next kept step.
//!
//! The recorder never allocates in the heap (its tables are Rust memory) and never runs Python
//! code (no `repr` of instances): the trace does not change what it traces, except that the
//! handles it holds while it looks are counted out of every refcount it reports.

use super::arena_svg::{CellStyle, MapGeometry, row_texts};
use crate::allocator::ArenaSnapshot;
use crate::runtime::{Heap, Kind, Obj};
use std::collections::{HashMap, HashSet};

/// Runs of each line kept one by one before sampling starts.
pub const EVERY_TIME: usize = 10;
/// Most steps a trace keeps.
pub const MAX_STEPS: usize = 2000;
/// Most objects drawn per step (breadth first from the names).
pub const MAX_OBJECTS: usize = 40;
/// Most references drawn out of one container (the rest are counted).
pub const MAX_SLOTS: usize = 8;
/// Most pool drill-downs recorded per step (the pools whose cell changed in it; more are
/// counted in the page as not recorded).
pub const MAX_POOL_TEXTS: usize = 8;

/// The sampling rule, as the page states it.
pub const SAMPLING_RULE: &str = "each line is a step the first 10 times it runs; after that \
    its n-th run is a step only when n is a power of two (16, 32, 64 …), except that a line after \
    which a collection ran or an arena was mapped or returned is always a step; at most 2000 \
    steps, then the program runs to its end and a last step shows the end state; the events of \
    the runs that are not steps are summed into the next step";

/// One object as drawn in a step.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjBox {
    /// Short id, stable through the trace (`#3`).
    pub id: u32,
    /// Type name.
    pub ty: String,
    /// What `sys.getrefcount(obj)` would print now; `None` for an immortal object.
    pub getrefcount: Option<usize>,
    /// `"0"`, `"1"`, `"2"` (tracked, in that generation), `"untracked"`, `"immortal"`.
    pub generation: &'static str,
    /// `sys.getsizeof`.
    pub size: usize,
    /// The value of a number, string, bool or None; the length of a container.
    pub value: String,
    /// Labelled references out of a container: (label, target short id).
    pub slots: Vec<(String, u32)>,
    /// References not drawn (past [`MAX_SLOTS`] or [`MAX_OBJECTS`]).
    pub more: usize,
}

/// A name bound in a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    /// `"global"` or the function's name.
    pub scope: String,
    /// The variable's name.
    pub name: String,
    /// Short id of the object it names.
    pub target: u32,
}

/// One recorded step: the state before `line` runs (after the lines before it).
#[derive(Debug, Clone)]
pub struct Step {
    /// The line about to run (0 at the end of the program).
    pub line: u32,
    /// The line event's number (1-based) among all line events, for the sampling.
    pub event: usize,
    /// The running function (`<module>` at module level, `<end>` for the last step).
    pub function: String,
    /// Names in view: the function's locals, then the globals.
    pub names: Vec<NameRef>,
    /// Indices into [`Trace::objects`].
    pub objects: Vec<usize>,
    /// `gc.get_count()`.
    pub gc_count: [usize; 3],
    /// Index into [`Trace::maps`] (the map's rows).
    pub map: usize,
    /// Each pool of the map, in its cell order: an index into [`Trace::styles`].
    pub cells: Vec<usize>,
    /// The drill-down (`pyheap map --pool` text) of each pool whose cell changed in this step,
    /// at most [`MAX_POOL_TEXTS`]: (arena index, pool in the arena, index into
    /// [`Trace::pool_texts`]).
    pub pools: Vec<(u32, usize, usize)>,
    /// Each arena row's label and `nfp2lasta` marker.
    pub rows: Vec<(String, String)>,
    /// Small blocks in use (pymalloc).
    pub blocks_in_use: usize,
    /// Large blocks in use (over 512 B: the system allocator).
    pub large_in_use: usize,
    /// Arenas mapped.
    pub arenas: usize,
    /// What happened since the previous step, one sentence each.
    pub events: Vec<String>,
}

/// The rows of an occupancy map: steps with the same rows share one SVG, which the page restyles
/// cell by cell ([`Step::cells`]) and relabels row by row ([`Step::rows`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MapShape {
    /// (arena index, on usable_arenas), in the map's order.
    pub arenas: Vec<(u32, bool)>,
    /// Arenas returned to the OS so far (drawn as ghost rows).
    pub returned: Vec<u32>,
}

/// A whole trace.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The program's file name.
    pub filename: String,
    /// The program's source.
    pub source: String,
    /// The allocator layout (for the maps).
    pub geometry: MapGeometry,
    /// `gc.get_threshold()` at the start.
    pub thresholds: [usize; 3],
    /// The kept steps, in order.
    pub steps: Vec<Step>,
    /// Distinct object states, shared by the steps.
    pub objects: Vec<ObjBox>,
    /// Distinct arena-map row sets (one snapshot each), rendered by the page.
    pub maps: Vec<(MapShape, Vec<ArenaSnapshot>)>,
    /// Distinct pool-cell styles, shared by the steps.
    pub styles: Vec<CellStyle>,
    /// Distinct pool drill-down texts, shared by the steps ([`Step::pools`]).
    pub pool_texts: Vec<String>,
    /// Line events seen in all.
    pub line_events: usize,
    /// The program's exit status.
    pub exit_code: i32,
    /// Collections during the run.
    pub collections: usize,
}

/// A collection, as the gc callback reported it.
#[derive(Debug, Clone, Copy)]
pub struct Collection {
    /// The generation collected.
    pub generation: usize,
    /// Objects in the collected generations.
    pub examined: usize,
    /// Unreachable objects freed.
    pub collected: usize,
    /// Unreachable objects kept in `gc.garbage`.
    pub uncollectable: usize,
}

/// The recorder (see the module docs).
pub struct Recorder {
    trace: Trace,
    object_index: HashMap<ObjBox, usize>,
    map_index: HashMap<MapShape, usize>,
    style_index: HashMap<CellStyle, usize>,
    /// Address → (short id, type name): ids stay stable while an address holds one type.
    short_ids: HashMap<usize, (u32, String)>,
    next_id: u32,
    prev_map: Vec<ArenaSnapshot>,
    /// The style of each pool at the last step, by (arena index, pool), and the text table.
    prev_styles: HashMap<(u32, usize), usize>,
    pool_text_index: HashMap<String, usize>,
    prev_blocks: HashMap<usize, usize>,
    prev_large: usize,
    returned: Vec<u32>,
    /// Arena counters (current, allocated total) at the last kept step.
    arena_counts: crate::runtime::ArenaCounts,
    pending: Vec<String>,
    /// Runs of each line so far.
    runs: HashMap<u32, usize>,
    full: bool,
}

/// The index of `key` in a table of distinct values shared by the steps (`index`: each key's
/// position), appending `make(key)` the first time `key` is seen.
fn intern<K: Clone + Eq + std::hash::Hash, T>(
    index: &mut HashMap<K, usize>,
    table: &mut Vec<T>,
    key: K,
    make: impl FnOnce(K) -> T,
) -> usize {
    if let Some(&i) = index.get(&key) {
        return i;
    }
    let i = table.len();
    index.insert(key.clone(), i);
    table.push(make(key));
    i
}

impl Recorder {
    /// A recorder for `source`, on `heap` in its state before the program starts.
    pub fn new(heap: &Heap, filename: &str, source: &str, geometry: MapGeometry) -> Recorder {
        let map = heap.arena_snapshots();
        let prev_blocks = blocks_by_size(&map);
        Recorder {
            trace: Trace {
                filename: filename.to_string(),
                source: source.to_string(),
                geometry,
                thresholds: heap.gc().get_threshold(),
                steps: Vec::new(),
                objects: Vec::new(),
                maps: Vec::new(),
                styles: Vec::new(),
                pool_texts: Vec::new(),
                line_events: 0,
                exit_code: 0,
                collections: 0,
            },
            object_index: HashMap::new(),
            map_index: HashMap::new(),
            style_index: HashMap::new(),
            short_ids: HashMap::new(),
            next_id: 1,
            prev_map: map,
            prev_styles: HashMap::new(),
            pool_text_index: HashMap::new(),
            prev_blocks,
            prev_large: heap.large_in_use(),
            returned: Vec::new(),
            arena_counts: heap.arena_counts(),
            pending: Vec::new(),
            runs: HashMap::new(),
            full: false,
        }
    }

    /// A collection ran (call from a gc callback's stop phase, or after the fact).
    pub fn collection(&mut self, c: Collection) {
        self.trace.collections += 1;
        self.pending.push(format!(
            "collect({}): {} examined, {} unreachable freed, {} uncollectable",
            c.generation, c.examined, c.collected, c.uncollectable
        ));
    }

    /// A line is about to run; `scopes` are the names in view (the running function's locals,
    /// then the globals), each as (scope label, names).
    pub fn line<'h>(
        &mut self,
        heap: &'h Heap,
        line: u32,
        function: &str,
        scopes: &[(String, Vec<(String, Obj<'h>)>)],
    ) {
        self.trace.line_events += 1;
        if self.full {
            return;
        }
        let n = {
            let r = self.runs.entry(line).or_insert(0);
            *r += 1;
            *r
        };
        let must = !self.pending.is_empty() || heap.arena_counts() != self.arena_counts;
        if !must && n > EVERY_TIME && !n.is_power_of_two() {
            return;
        }
        self.record(heap, line, function, scopes);
        if self.trace.steps.len() + 1 >= MAX_STEPS {
            self.full = true;
        }
    }

    /// The program ended: record the end state and hand back the trace.
    pub fn finish<'h>(
        mut self,
        heap: &'h Heap,
        globals: Vec<(String, Obj<'h>)>,
        exit_code: i32,
    ) -> Trace {
        self.trace.exit_code = exit_code;
        let scopes = [("global".to_string(), globals)];
        self.record(heap, 0, "<end>", &scopes);
        self.trace
    }

    fn record<'h>(
        &mut self,
        heap: &'h Heap,
        line: u32,
        function: &str,
        scopes: &[(String, Vec<(String, Obj<'h>)>)],
    ) {
        let gc = heap.gc();
        let mut young: HashMap<usize, &'static str> = HashMap::new();
        for (g, label) in [(0, "0"), (1, "1")] {
            for o in gc.get_objects(Some(g)).unwrap_or_default() {
                young.insert(heap.id(&o), label);
            }
        }
        // Names, then objects breadth first.
        let mut names = Vec::new();
        let mut queue: Vec<Obj<'h>> = Vec::new();
        let mut seen: HashSet<usize> = HashSet::new();
        let mut bound: HashMap<usize, usize> = HashMap::new();
        for (scope, binds) in scopes {
            for (_, obj) in binds {
                *bound.entry(heap.id(obj)).or_insert(0) += 1;
            }
            for (name, obj) in binds {
                if name.starts_with("__") && name.ends_with("__") {
                    continue;
                }
                let target = self.short_id(heap, obj);
                names.push(NameRef {
                    scope: scope.clone(),
                    name: name.clone(),
                    target,
                });
                if seen.insert(heap.id(obj)) {
                    queue.push(obj.clone());
                }
            }
        }
        let mut objects = Vec::new();
        let mut i = 0;
        while i < queue.len() && objects.len() < MAX_OBJECTS {
            let o = queue[i].clone();
            i += 1;
            let refs = referents(&o);
            let mut slots = Vec::new();
            let mut more = 0;
            for (label, r) in refs {
                let room = slots.len() < MAX_SLOTS && seen.len() < MAX_OBJECTS;
                let known = seen.contains(&heap.id(&r));
                if slots.len() < MAX_SLOTS && (room || known) {
                    slots.push((label, self.short_id(heap, &r)));
                    if seen.insert(heap.id(&r)) {
                        queue.push(r);
                    }
                } else {
                    more += 1;
                }
            }
            let b = ObjBox {
                id: self.short_id(heap, &o),
                ty: o.type_name().to_string(),
                getrefcount: refcount_shown(
                    heap,
                    &o,
                    2 + bound.get(&heap.id(&o)).copied().unwrap_or(0),
                ),
                generation: generation(heap, &o, &young),
                size: heap.sizeof(&o),
                value: value_of(&o),
                slots,
                more,
            };
            objects.push(intern(
                &mut self.object_index,
                &mut self.trace.objects,
                b,
                |b| b,
            ));
        }

        let map = heap.arena_snapshots();
        let mut events = std::mem::take(&mut self.pending);
        self.allocator_events(heap, &map, &mut events);
        let shape = MapShape {
            arenas: map.iter().map(|a| (a.index, a.usable)).collect(),
            returned: self.returned.clone(),
        };
        let m = intern(&mut self.map_index, &mut self.trace.maps, shape, |s| {
            (s, map.clone())
        });
        let mut cells = Vec::new();
        let mut pools = Vec::new();
        let mut styles = HashMap::new();
        for a in &map {
            for (i, p) in a.pools.iter().enumerate() {
                let k = intern(
                    &mut self.style_index,
                    &mut self.trace.styles,
                    CellStyle::of(p),
                    |c| c,
                );
                cells.push(k);
                styles.insert((a.index, i), k);
                // A pool whose cell changed (or that is in use at the first step).
                let changed = match self.prev_styles.get(&(a.index, i)) {
                    Some(&old) => old != k,
                    None => p.blocks_in_use > 0,
                };
                if changed
                    && pools.len() < MAX_POOL_TEXTS
                    && let Some(view) = heap.pool_view(a.index, i)
                {
                    let text = super::pool_svg::pool_text(&self.trace.geometry, &view);
                    let t = intern(
                        &mut self.pool_text_index,
                        &mut self.trace.pool_texts,
                        text,
                        |t| t,
                    );
                    pools.push((a.index, i, t));
                }
            }
        }
        self.prev_styles = styles;
        self.arena_counts = heap.arena_counts();
        self.trace.steps.push(Step {
            line,
            event: self.trace.line_events,
            function: function.to_string(),
            names,
            objects,
            gc_count: gc.get_count(),
            map: m,
            cells,
            pools,
            rows: row_texts(&map),
            blocks_in_use: heap.blocks_in_use(),
            large_in_use: heap.large_in_use(),
            arenas: map.len(),
            events,
        });
        self.prev_map = map;
    }

    /// Compare the allocator with the last kept step and say what changed.
    fn allocator_events(&mut self, heap: &Heap, map: &[ArenaSnapshot], ev: &mut Vec<String>) {
        let old: HashMap<u32, &ArenaSnapshot> =
            self.prev_map.iter().map(|a| (a.index, a)).collect();
        let new: HashMap<u32, &ArenaSnapshot> = map.iter().map(|a| (a.index, a)).collect();
        let mut gone: Vec<u32> = old
            .keys()
            .filter(|i| !new.contains_key(i))
            .copied()
            .collect();
        gone.sort_unstable();
        for i in gone {
            ev.push(format!(
                "arena {i} returned to the OS (all its pools were empty)"
            ));
            self.returned.push(i);
        }
        for a in map {
            // Pools that changed in this arena: (pool, block size) carved and emptied.
            let mut carved_now: Vec<(usize, usize)> = Vec::new();
            let mut emptied: Vec<(usize, usize)> = Vec::new();
            match old.get(&a.index) {
                None => {
                    ev.push(format!(
                        "arena {} mapped ({})",
                        a.index,
                        super::arena_svg::human_bytes(self.trace.geometry.arena_size)
                    ));
                    self.returned.retain(|&r| r != a.index);
                    for (k, p) in a.pools.iter().enumerate() {
                        if p.size_class.is_some() {
                            carved_now.push((k, p.block_size));
                        }
                    }
                }
                Some(o) => {
                    for (k, (p, q)) in o.pools.iter().zip(&a.pools).enumerate() {
                        match (p.size_class, q.size_class) {
                            (None, Some(_)) => carved_now.push((k, q.block_size)),
                            (Some(_), None) => emptied.push((k, p.block_size)),
                            (Some(c), Some(d)) if c != d => {
                                emptied.push((k, p.block_size));
                                carved_now.push((k, q.block_size));
                            }
                            _ => {}
                        }
                    }
                }
            }
            pool_events(ev, a.index, "carved for", "", &carved_now);
            pool_events(
                ev,
                a.index,
                "emptied, was",
                " (back on the arena's free pools)",
                &emptied,
            );
        }
        let blocks = blocks_by_size(map);
        let mut sizes: Vec<usize> = blocks
            .keys()
            .chain(self.prev_blocks.keys())
            .copied()
            .collect();
        sizes.sort_unstable();
        sizes.dedup();
        let mut deltas = Vec::new();
        for s in sizes {
            let d = *blocks.get(&s).unwrap_or(&0) as i64
                - *self.prev_blocks.get(&s).unwrap_or(&0) as i64;
            if d != 0 {
                deltas.push(format!("{d:+} × {s} B"));
            }
        }
        if !deltas.is_empty() {
            ev.push(format!("blocks in use (net): {}", deltas.join(", ")));
        }
        let large = heap.large_in_use();
        if large != self.prev_large {
            let d = large as i64 - self.prev_large as i64;
            ev.push(format!(
                "{d:+} large block{} (over 512 B: the system allocator, not pymalloc)",
                if d.abs() == 1 { "" } else { "s" }
            ));
        }
        self.prev_blocks = blocks;
        self.prev_large = large;
    }

    fn short_id<'h>(&mut self, heap: &'h Heap, o: &Obj<'h>) -> u32 {
        let addr = heap.id(o);
        let ty = o.type_name();
        if let Some((id, t)) = self.short_ids.get(&addr)
            && t == ty
        {
            return *id;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.short_ids.insert(addr, (id, ty.to_string()));
        id
    }
}

/// "pool 3 of arena 0 carved for 64 B blocks", or for more than three pools one line:
/// "arena 0: 12 pools emptied, was 64 B ×8, 32 B ×4 (…)".
fn pool_events(ev: &mut Vec<String>, arena: u32, verb: &str, tail: &str, pools: &[(usize, usize)]) {
    if pools.len() <= 3 {
        for (k, size) in pools {
            ev.push(format!(
                "pool {k} of arena {arena} {verb} {size} B blocks{tail}"
            ));
        }
        return;
    }
    let mut by_size: Vec<(usize, usize)> = Vec::new();
    for &(_, size) in pools {
        match by_size.iter_mut().find(|(s, _)| *s == size) {
            Some((_, n)) => *n += 1,
            None => by_size.push((size, 1)),
        }
    }
    by_size.sort_unstable();
    let sizes: Vec<String> = by_size.iter().map(|(s, n)| format!("{s} B ×{n}")).collect();
    ev.push(format!(
        "arena {arena}: {} pools {verb} {}{tail}",
        pools.len(),
        sizes.join(", ")
    ));
}

/// Blocks in use by block size over a snapshot.
fn blocks_by_size(map: &[ArenaSnapshot]) -> HashMap<usize, usize> {
    let mut m = HashMap::new();
    for p in map.iter().flat_map(|a| &a.pools) {
        if p.size_class.is_some() {
            *m.entry(p.block_size).or_insert(0) += p.blocks_in_use;
        }
    }
    m
}

/// What `sys.getrefcount(o)` would print in the program, given how many handles to `o` the
/// recorder holds (`ours`: the bindings it was handed, its queue entry, its working copy).
/// `heap.getrefcount` counts one more than the references (the argument's, like the program's
/// call), so the figure is that minus our handles. `None` for an immortal object.
fn refcount_shown<'h>(heap: &'h Heap, o: &Obj<'h>, ours: usize) -> Option<usize> {
    let rc = heap.getrefcount(o);
    if rc == pyheap_runtime::object::IMMORTAL_REFCNT {
        return None;
    }
    Some(rc.saturating_sub(ours))
}

fn generation<'h>(
    heap: &'h Heap,
    o: &Obj<'h>,
    young: &HashMap<usize, &'static str>,
) -> &'static str {
    if heap.getrefcount(o) == pyheap_runtime::object::IMMORTAL_REFCNT {
        return "immortal";
    }
    if !heap.gc().is_tracked(o) {
        return "untracked";
    }
    young.get(&heap.id(o)).copied().unwrap_or("2")
}

/// The value of a scalar (its repr: no user code runs for these kinds), the length of a
/// container, else empty.
fn value_of(o: &Obj<'_>) -> String {
    let s = match o.kind() {
        Kind::None | Kind::Bool | Kind::Int | Kind::Float => o.repr(),
        Kind::Str => super::heap_graph::py_str_repr(o.str_value().unwrap_or("")),
        Kind::List => format!("len {}", o.as_list().map(|l| l.len()).unwrap_or(0)),
        Kind::Tuple => format!("len {}", o.as_tuple().map(|l| l.len()).unwrap_or(0)),
        Kind::Dict => format!("len {}", o.as_dict().map(|l| l.len()).unwrap_or(0)),
        Kind::Class => o
            .as_class()
            .map(|c| c.name().to_string())
            .unwrap_or_default(),
        _ => String::new(),
    };
    super::heap_graph::truncate(&s, 40)
}

/// The references a box draws: container items and instance attributes, labelled.
fn referents<'h>(o: &Obj<'h>) -> Vec<(String, Obj<'h>)> {
    match o.kind() {
        Kind::List => o
            .as_list()
            .map(|l| l.to_vec())
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, x)| (format!("[{i}]"), x))
            .collect(),
        Kind::Tuple => o
            .as_tuple()
            .map(|t| t.to_vec())
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, x)| (format!("[{i}]"), x))
            .collect(),
        Kind::Dict => o
            .as_dict()
            .map(|d| d.items())
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (format!("[{}]", value_of(&k)), v))
            .collect(),
        Kind::Instance => match o.as_instance() {
            Ok(inst) => inst
                .attr_names()
                .into_iter()
                .filter_map(|n| inst.getattr(&n).ok().map(|v| (format!(".{n}"), v)))
                .collect(),
            Err(_) => vec![],
        },
        Kind::Cell => o
            .as_cell()
            .ok()
            .and_then(|c| c.get())
            .map(|v| vec![("cell_contents".to_string(), v)])
            .unwrap_or_default(),
        _ => vec![],
    }
}
