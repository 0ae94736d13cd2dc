//! `cargo run --release --example sizes [-- --quick]`
//!
//! What each built-in costs in pyheap, next to CPython's `sys.getsizeof` (the local `python3`
//! when there is one, and CPython 3.11's recorded figures), with where each byte goes:
//!
//! ```text
//!   list []  = GC head 16 (collector links) + header 16 (refcount, type) + payload 24
//!              (length, item pointer, capacity)                                     = 56 B
//!   int 1000 =                                header 16 + payload 8 (an i64)        = 24 B
//! ```
//!
//! and which pymalloc size class a thousand of each land in (measured from the allocator's
//! per-class blocks-in-use, not computed). The table and the measuring are
//! `pyheap::inspect::sizes`, shared with `pyheap sizes`. `--quick` measures 100 objects per row
//! instead of 10 000.

use pyheap::inspect::sizes::{GC_HEAD, HEADER, block_classes, measure, to_text};
use pyheap::runtime::{ClassSpec, Heap, Obj, RuntimeError};

fn main() -> Result<(), RuntimeError> {
    let quick = std::env::args().any(|a| a == "--quick");
    let n = if quick { 100 } else { 10_000 };
    let heap = Heap::new();

    println!("== 1. Flat sizes (sys.getsizeof) ==");
    let (lines, version) = measure(&heap)?;
    print!("{}", to_text(&lines, version.as_deref()));
    if version.is_none() {
        println!("(no python3 found: the CPython column is n/a; the 3.11 column is recorded)");
    }

    println!("\n== 2. Where the bytes go ==");
    println!(
        "Every object starts with a {HEADER}-byte header (refcount, type pointer). Objects that \
         can take part in cycles (lists, tuples, dicts, instances, weakrefs, cells) carry a \
         {GC_HEAD}-byte GC head in front of it: the collector's doubly linked generation list."
    );
    let smaller: Vec<_> = lines
        .iter()
        .filter(|l| l.cpython.unwrap_or(l.cpython_3_11) > l.ours)
        .collect();
    for l in &smaller {
        println!(
            "  {} {}: {} B here vs {} B in CPython ({} B less)",
            l.type_name,
            l.what,
            l.ours,
            l.cpython.unwrap_or(l.cpython_3_11),
            l.cpython.unwrap_or(l.cpython_3_11) - l.ours
        );
    }
    let larger = lines
        .iter()
        .filter(|l| l.cpython.unwrap_or(l.cpython_3_11) < l.ours)
        .count();
    println!(
        "  {} of {} rows are smaller than CPython, {} the same, {larger} larger. The savings: \
         ints are a fixed i64 (no 30-bit digits), strings are UTF-8 with a short header, dicts \
         allocate their table lazily, instance attributes live in a table out of line.",
        smaller.len(),
        lines.len(),
        lines.len() - smaller.len() - larger
    );

    println!("\n== 3. Where they land in pymalloc ({n} of each) ==");
    let a = heap.int(1000)?;
    let cls = heap.new_class(ClassSpec::new("I"))?;
    let slots = heap.new_class(
        ClassSpec::new("S")
            .with_slots(&["a", "b"])
            .without_weakrefs(),
    )?;
    type Make<'a> = Box<dyn Fn(usize) -> Result<Obj<'a>, RuntimeError> + 'a>;
    let rows: Vec<(&str, Make)> = vec![
        ("int", Box::new(|i| heap.int(1000 + i as i64))),
        ("float", Box::new(|i| heap.float(i as f64 + 0.5))),
        ("str 'abc'", Box::new(|_| Ok(heap.str("abc")?.into_obj()))),
        (
            "tuple (a,)",
            Box::new(|_| Ok(heap.tuple(std::slice::from_ref(&a))?.into_obj())),
        ),
        (
            "list [a, a, a]",
            Box::new(|_| Ok(heap.list(&[a.clone(), a.clone(), a.clone()])?.into_obj())),
        ),
        ("dict {}", Box::new(|_| Ok(heap.dict()?.into_obj()))),
        (
            "instance, 2 attrs",
            Box::new(|_| {
                let o = cls.instantiate()?;
                o.setattr("a", &a)?;
                o.setattr("b", &a)?;
                Ok(o.into_obj())
            }),
        ),
        (
            "instance, 2 slots",
            Box::new(|_| {
                let o = slots.instantiate()?;
                o.setattr("a", &a)?;
                o.setattr("b", &a)?;
                Ok(o.into_obj())
            }),
        ),
    ];
    for (name, make) in &rows {
        let size = heap.sizeof(&make(0)?);
        let classes = block_classes(&heap, n, make)?;
        let blocks: Vec<String> = classes
            .iter()
            .map(|(b, k)| format!("{} × {b} B", k))
            .collect();
        let total: usize = classes.iter().map(|(b, k)| b * k).sum();
        println!(
            "  {name:<18} getsizeof {size:>3} B   blocks added: {}   ({:.1} B per object in blocks)",
            blocks.join(" + "),
            total as f64 / n as f64
        );
    }
    println!(
        "  (blocks round each request up to the next multiple of {} B; a block's size is its \
         size class)",
        heap.allocator_stats().alignment
    );
    Ok(())
}
