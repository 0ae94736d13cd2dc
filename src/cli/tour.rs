//! `pyheap tour` (the default command): five short screens for a newcomer — allocation,
//! reference counting, a cycle leak and its collection, generations, the arena state — each
//! number read from a live heap, ending with the files written (a DOT graph, an SVG map).
//!
//! ```text
//!   1. Allocation      sizeof, the size class each object lands in (measured), blocks/pools/arenas
//!   2. Refcounting     getrefcount up and down with handles, freed at zero, immortals
//!   3. A cycle leak    collector off: blocks grow each round; collect() frees them; cycle.dot
//!   4. Generations     get_count, collect(0)/(1) promoting, get_objects per generation,
//!                      an automatic collection, the 25 % rule with this heap's numbers
//!   5. Arenas          the stats table (excerpt) and arenas.svg
//! ```
//!
//! Everything shown is computed by `pyheap::inspect` and the runtime's public API; the files go
//! to `<temp dir>/pyheap-tour/` (created if needed), and their full paths are printed at the end.

use super::CliError;
use pyheap::allocator::Modern;
use pyheap::inspect::arena_svg::{MapGeometry, render};
use pyheap::inspect::dot::{DotOptions, Variable, backref_chain, to_dot};
use pyheap::inspect::gc_explain::{explain_dot, explain_text, five_objects};
use pyheap::inspect::sizes::block_classes;
use pyheap::runtime::{ClassSpec, Heap, Like, Obj, RuntimeError};
use std::path::{Path, PathBuf};

fn rt(e: RuntimeError) -> CliError {
    CliError::Usage(format!("tour: {e}"))
}
fn gc_err(e: pyheap::gc::GcError) -> CliError {
    CliError::Usage(format!("tour: {e}"))
}

/// `pyheap tour [--like V]`.
#[derive(clap::Args, Debug, Default)]
pub struct TourArgs {
    /// Which CPython to behave like: 3.7, 3.11 or 3.13 (thresholds, immortal objects).
    #[arg(long, default_value = "3.13")]
    pub like: Like,
}

/// The screen header, naming the CPython version its behaviour comes from.
fn screen(title: &str, source: &str) {
    println!("== {title} ==  [behaviour of {source}]");
}

pub fn run(args: TourArgs) -> Result<(), CliError> {
    let like = args.like;
    let dir = std::env::temp_dir().join("pyheap-tour");
    std::fs::create_dir_all(&dir)
        .map_err(|e| CliError::Usage(format!("cannot create {}: {e}", dir.display())))?;
    let heap = Heap::with_config(like.gc_config());
    println!("pyheap tour: CPython's object memory system, measured on a live heap.");
    println!("Profile: {} (--like 3.7 | 3.11 | 3.13).\n", like.summary());
    allocation(&heap, like).map_err(rt)?;
    refcounting(&heap, like).map_err(rt)?;
    let (dot, dot_after) = cycle_leak(&heap, &dir)?;
    let explained = explain(&heap, &dir, like)?;
    generations(&heap, like)?;
    let svg = arenas(&heap, &dir)?;
    println!("== Files written ==");
    println!(
        "{}  (render: dot -Tsvg {} -o cycle.svg)",
        dot.display(),
        dot.display()
    );
    println!(
        "{}  (render: dot -Tsvg {} -o cycle_after_del.svg)",
        dot_after.display(),
        dot_after.display()
    );
    println!(
        "{}  (render: dot -Tsvg {} -o explain_gc.svg)",
        explained.display(),
        explained.display()
    );
    println!("{}  (open in a browser)", svg.display());
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text)
        .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))
}

/// `1000 × 32 B + 1000 × 48 B`
fn classes_text(classes: &[(usize, usize)]) -> String {
    classes
        .iter()
        .map(|(size, n)| format!("{n} × {size} B"))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn allocation(heap: &Heap, like: Like) -> Result<(), RuntimeError> {
    let source = if like.classic_layout() {
        "CPython 3.10+ (the heap always runs the modern layout; `pyheap map --like 3.7` draws \
         3.7's classic one)"
            .to_string()
    } else {
        format!("{}: the modern layout of 3.10+", like.label())
    };
    screen("1. Allocation", &source);
    let s = heap.allocator_stats();
    println!(
        "Objects live in blocks from pymalloc, {} layout: {}-byte size classes ({} of them) for \
         requests up to {} B, {} KiB pools, {} KiB arenas.",
        s.layout,
        s.alignment,
        s.size_classes,
        s.small_request_threshold,
        s.pool_size / 1024,
        s.arena_size / 1024
    );
    println!(
        "A fresh heap already uses {} blocks: None, True, False, the small ints -5..=256 and () \
         are preallocated (immortal).",
        heap.blocks_in_use()
    );
    const N: usize = 1000;
    println!(
        "Made {N} of each and read which size classes' blocks-in-use rose \
         (getsizeof = heap.sizeof, GC head included):"
    );
    println!("  {:<22} {:>10}   blocks added", "object", "getsizeof");
    let a = heap.int(1000)?;
    let b = heap.int(1001)?;
    let point = heap.new_class(ClassSpec::new("Point"))?;
    type Make<'a> = Box<dyn Fn(usize) -> Result<Obj<'a>, RuntimeError> + 'a>;
    let rows: Vec<(&str, Make)> = vec![
        ("int 1000+i", Box::new(|i| heap.int(1000 + i as i64))),
        ("float i + 0.5", Box::new(|i| heap.float(i as f64 + 0.5))),
        (
            "str 'item00042'",
            Box::new(|i| Ok(heap.str(&format!("item{i:05}"))?.into_obj())),
        ),
        ("list []", Box::new(|_| Ok(heap.list(&[])?.into_obj()))),
        (
            "list [a, b]",
            Box::new(|_| Ok(heap.list(&[a.clone(), b.clone()])?.into_obj())),
        ),
        (
            "tuple (a, b)",
            Box::new(|_| Ok(heap.tuple(&[a.clone(), b.clone()])?.into_obj())),
        ),
        ("dict {}", Box::new(|_| Ok(heap.dict()?.into_obj()))),
        (
            "Point(), 2 attributes",
            Box::new(|_| {
                let p = point.instantiate()?;
                p.setattr("x", &a)?;
                p.setattr("y", &b)?;
                Ok(p.into_obj())
            }),
        ),
    ];
    for (name, make) in &rows {
        let size = heap.sizeof(&make(7)?);
        let classes = block_classes(heap, N, make)?;
        println!("  {name:<22} {size:>8} B   {}", classes_text(&classes));
    }
    println!(
        "  (a block is the request rounded up to a multiple of {}; a non-empty list keeps its \
         items in a second block; an instance's attribute table is not a pymalloc block)",
        s.alignment
    );
    let keep: Vec<Obj> = (0..20_000)
        .map(|i| heap.int(1_000_000 + i))
        .collect::<Result<_, _>>()?;
    let s = heap.allocator_stats();
    let pools: usize = s.classes.iter().map(|c| c.pools).sum();
    println!(
        "Holding {} ints: {} blocks in use in {} pools of {} arena(s); {} bytes in arenas, {} in \
         allocated blocks.\n",
        keep.len(),
        s.blocks_in_use,
        pools,
        s.arenas_current,
        s.bytes_in_arenas,
        s.bytes_in_allocated_blocks
    );
    Ok(())
}

fn refcounting(heap: &Heap, like: Like) -> Result<(), RuntimeError> {
    screen(
        "2. Reference counting",
        &format!(
            "{} ({})",
            like.label(),
            if like.immortal_objects() {
                "immortal objects: PEP 683, 3.12+"
            } else {
                "no immortal objects before 3.12"
            }
        ),
    );
    let cls = heap.new_class(ClassSpec::new("Point"))?;
    let p = cls.instantiate()?.into_obj();
    p.setattr("x", &heap.int(1000)?)?;
    println!(
        "p = Point()          getrefcount(p) = {}   (one handle, plus getrefcount's own argument, \
         as in CPython)",
        heap.getrefcount(&p)
    );
    let q = p.clone();
    println!(
        "q = p.clone()        getrefcount(p) = {}",
        heap.getrefcount(&p)
    );
    let holder = heap.list(std::slice::from_ref(&p))?;
    println!(
        "holder = [p]         getrefcount(p) = {}",
        heap.getrefcount(&p)
    );
    drop(q);
    println!(
        "drop(q)              getrefcount(p) = {}",
        heap.getrefcount(&p)
    );
    holder.clear();
    println!(
        "holder.clear()       getrefcount(p) = {}",
        heap.getrefcount(&p)
    );
    let (live, blocks) = (heap.live_objects(), heap.blocks_in_use());
    drop(p);
    println!(
        "drop(p)              the count reaches 0 and p is freed at once: live objects {} → {}, \
         blocks in use {} → {} (the instance and the int 1000 only it held)",
        live,
        heap.live_objects(),
        blocks,
        heap.blocks_in_use()
    );
    let none = heap.none();
    let before = heap.getrefcount(&none);
    let nones = heap.list(&vec![heap.none(); 1000])?;
    match (
        like.shown_refcount(before, true),
        like.shown_refcount(heap.getrefcount(&none), true),
    ) {
        (Some(b), Some(during)) => println!(
            "None is immortal: getrefcount(None) = {b} before and {during} while a list holds it \
             1000 times (what {} prints: the count never moves)",
            like.label()
        ),
        _ => println!(
            "None: in {} it is not immortal and getrefcount(None) counts every reference in the \
             whole interpreter (a few thousand; 1000 more while the list holds it). This heap \
             keeps None immortal under every profile, so there is no such count to print.",
            like.label()
        ),
    }
    drop(nones);
    println!(
        "Small ints are cached: int(7) is int(7) → {}; int(1000) is int(1000) → {}\n",
        heap.int(7)?.is(&heap.int(7)?),
        heap.int(1000)?.is(&heap.int(1000)?)
    );
    Ok(())
}

/// Screen 3: the leak; writes cycle.dot (the last pair while `a` and `b` name it) and
/// cycle_after_del.dot (after `del a, b`: both names dashed, each refcnt 1, held by the cycle).
fn cycle_leak(heap: &Heap, dir: &Path) -> Result<(PathBuf, PathBuf), CliError> {
    screen(
        "3. A cycle leak",
        "CPython 3.9+: the cycle collector's algorithm",
    );
    let gc = heap.gc();
    gc.collect(2).map_err(gc_err)?;
    gc.disable();
    let node = heap.new_class(ClassSpec::new("Node")).map_err(rt)?;
    println!(
        "Collector disabled. Each round makes 1000 pairs a.partner = b, b.partner = a and drops \
         every handle:"
    );
    let path = dir.join("cycle.dot");
    let path_after = dir.join("cycle_after_del.dot");
    const ROUNDS: usize = 3;
    let start = heap.blocks_in_use();
    for round in 1..=ROUNDS {
        let before = heap.blocks_in_use();
        for i in 0..1000 {
            let a = node.instantiate().map_err(rt)?.into_obj();
            let b = node.instantiate().map_err(rt)?;
            a.setattr("partner", &b).map_err(rt)?;
            b.setattr("partner", &a).map_err(rt)?;
            if round == ROUNDS && i == 999 {
                let named = |deleted: bool| {
                    vec![
                        Variable {
                            name: "a".into(),
                            id: heap.id(&a),
                            deleted,
                        },
                        Variable {
                            name: "b".into(),
                            id: heap.id(&b),
                            deleted,
                        },
                    ]
                };
                let opts = DotOptions {
                    skip_classes: true,
                    variables: named(false),
                    ..DotOptions::default()
                };
                write(&path, &to_dot(heap, &a, &opts))?;
                // `del a, b`: the handle on a is kept only to draw the picture (counted out).
                let after = DotOptions {
                    skip_classes: true,
                    variables: named(true),
                    handles_held: 1,
                    ..DotOptions::default()
                };
                drop(b);
                write(&path_after, &to_dot(heap, &a, &after))?;
                match backref_chain(heap, &a) {
                    None => println!(
                        "  (last pair, before dropping our handle on a: backref_chain(a) finds no \
                         handle root; only the cycle keeps it alive)"
                    ),
                    Some(chain) => print!(
                        "  (last pair: a is reachable from a handle root:\n{})",
                        pyheap::inspect::dot::chain_to_text(heap, &chain)
                    ),
                }
            }
        }
        let s = heap.allocator_stats();
        println!(
            "  round {round}: blocks in use {} (+{}), live objects {}, arenas {}",
            heap.blocks_in_use(),
            heap.blocks_in_use() - before,
            heap.live_objects(),
            s.arenas_current
        );
    }
    let (blocks, live) = (heap.blocks_in_use(), heap.live_objects());
    let found = gc.collect(2).map_err(gc_err)?;
    gc.enable();
    println!(
        "gc.collect() found {found} unreachable objects and freed them: blocks in use {blocks} → \
         {} (at the start: {start}), live objects {live} → {}",
        heap.blocks_in_use(),
        heap.live_objects()
    );
    println!(
        "The last pair's references (class edges left out) are drawn in {} (a and b name it, \
         refcnt 2 each) and {} (after del a, b: refcnt 1 each, held only by the cycle)\n",
        path.display(),
        path_after.display()
    );
    Ok((path, path_after))
}

/// Screen 3b: the five-object example, explained object by object; writes explain_gc.dot.
fn explain(heap: &Heap, dir: &Path, like: Like) -> Result<PathBuf, CliError> {
    screen(
        "3b. How the collector decides",
        "CPython 3.9+ (gc_collect_main: update_refs, subtract_refs, move_unreachable)",
    );
    let (ex, names, edges) = five_objects(heap).map_err(rt)?;
    let source = format!("the five-object example, {}", like.label());
    print!("{}", explain_text(&ex, &names, &edges, &source));
    let path = dir.join("explain_gc.dot");
    write(&path, &explain_dot(&ex, &names, &edges, &source))?;
    println!(
        "The same table as a graph coloured by phase: {}\n",
        path.display()
    );
    Ok(path)
}

fn generations(heap: &Heap, like: Like) -> Result<(), CliError> {
    screen(
        "4. Generations",
        &format!("{}: thresholds {}", like.label(), like.thresholds_text()),
    );
    let gc = heap.gc();
    gc.collect(2).map_err(gc_err)?;
    let lens = |gc: &pyheap::runtime::Gc| -> Result<[usize; 3], CliError> {
        let mut l = [0; 3];
        for (g, n) in l.iter_mut().enumerate() {
            *n = gc.get_objects(Some(g as i64)).map_err(gc_err)?.len();
        }
        Ok(l)
    };
    let t = gc.get_threshold();
    println!(
        "Thresholds {t:?}. After a full collection: get_count() = {:?}, objects per generation \
         (len(get_objects(g))) = {:?}",
        gc.get_count(),
        lens(&gc)?
    );
    let young: Vec<_> = (0..500)
        .map(|_| heap.list(&[]))
        .collect::<Result<_, _>>()
        .map_err(rt)?;
    println!(
        "Made {} lists:           get_count() = {:?}, per generation {:?}",
        young.len(),
        gc.get_count(),
        lens(&gc)?
    );
    gc.collect(0).map_err(gc_err)?;
    println!(
        "collect(0), all survive: get_count() = {:?}, per generation {:?} (promoted to 1)",
        gc.get_count(),
        lens(&gc)?
    );
    gc.collect(1).map_err(gc_err)?;
    println!(
        "collect(1):              get_count() = {:?}, per generation {:?} (promoted to 2)",
        gc.get_count(),
        lens(&gc)?
    );
    let before = gc.get_stats();
    let more: Vec<_> = (0..t[0] + 1)
        .map(|_| heap.list(&[]))
        .collect::<Result<_, _>>()
        .map_err(rt)?;
    let after = gc.get_stats();
    println!(
        "Made {} more lists: count0 passed {} and a generation-0 collection ran by itself \
         (get_stats()[0].collections {} → {}); per generation now {:?}",
        more.len(),
        t[0],
        before[0].collections,
        after[0].collections,
        lens(&gc)?
    );
    let ratio = pyheap::gc::GcConfig::default().full_collection_ratio;
    gc.collect(2).map_err(gc_err)?;
    let pyheap::gc::LongLived { pending, total } = gc.long_lived();
    println!(
        "The {:.0} % rule: generation 2 is collected automatically only when count2 > {} and \
         long_lived_pending (objects promoted into it since the last full collection) is at \
         least {:.0} % of long_lived_total (the survivors of that collection).",
        ratio * 100.0,
        t[2],
        ratio * 100.0
    );
    println!(
        "  collect(2) now: long_lived_pending = {pending}, long_lived_total = {total}: the next \
         full collection waits for {:.0} promoted objects.",
        (total as f64 * ratio).ceil()
    );
    // Promote `n` new lists through collect(0) and collect(1); report where pending stands
    // against the bar (the lists stay alive until the section ends).
    let mut kept = Vec::new();
    let mut promote = |n: usize, what: &str, below: &str, over: &str| -> Result<(), CliError> {
        let lists: Vec<_> = (0..n)
            .map(|_| heap.list(&[]))
            .collect::<Result<_, _>>()
            .map_err(rt)?;
        gc.collect(0).map_err(gc_err)?;
        gc.collect(1).map_err(gc_err)?;
        let pyheap::gc::LongLived { pending, total } = gc.long_lived();
        println!(
            "  {n} {what}: pending = {pending} of total {total} ({:.1} %): {}",
            100.0 * pending as f64 / total.max(1) as f64,
            if (pending as f64) < total as f64 * ratio {
                below
            } else {
                over
            }
        );
        kept.push(lists);
        Ok(())
    };
    promote(
        (total / 8).max(1),
        "lists promoted through collect(0) and collect(1)",
        "below the bar, an automatic full collection would be skipped",
        "over the bar, the next automatic pass may collect generation 2",
    )?;
    promote(
        (total / 4).max(1),
        "more promoted",
        "still below the bar",
        "over the bar: once count2 passes its threshold, generation 2 is collected",
    )?;
    for (g, s) in gc.get_stats().iter().enumerate() {
        println!(
            "  get_stats()[{g}]: {} collections, {} collected, {} uncollectable",
            s.collections, s.collected, s.uncollectable
        );
    }
    println!();
    Ok(())
}

fn arenas(heap: &Heap, dir: &Path) -> Result<PathBuf, CliError> {
    screen(
        "5. Arenas",
        "CPython 3.10+: the modern layout, 1 MiB arenas of 16 KiB pools",
    );
    let s = heap.allocator_stats();
    let text = s.to_text();
    let table: Vec<&str> = text.lines().collect();
    // The table header, its first rows, and the arena lines.
    let header = table
        .iter()
        .position(|l| l.starts_with("class"))
        .unwrap_or(0);
    let rows: Vec<&&str> = table[header..]
        .iter()
        .skip(2)
        .take_while(|l| !l.is_empty())
        .collect();
    println!("sys._debugmallocstats() of this heap, the first rows and the arena lines:");
    for l in table.iter().skip(header).take(2) {
        println!("  {l}");
    }
    for l in rows.iter().take(8) {
        println!("  {l}");
    }
    if rows.len() > 8 {
        println!("  ... ({} size classes in use in all)", rows.len());
    }
    for l in table
        .iter()
        .filter(|l| l.starts_with("# arenas") || l.contains("bytes/arena"))
    {
        println!("  {l}");
    }
    let path = dir.join("arenas.svg");
    let arenas = heap.arena_snapshots();
    write(&path, &render(&MapGeometry::of::<Modern>(), &arenas))?;
    println!(
        "The {} arena(s) of this heap, one row each and one cell per pool, are drawn in {}\n",
        arenas.len(),
        path.display()
    );
    Ok(path)
}
