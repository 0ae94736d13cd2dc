//! Reference counting, watched from the outside: counts rising and falling, deallocation at zero,
//! immortal objects, the small-int cache and interning.
//!
//! `cargo run --release --example refcounting [-- --quick]`
//!
//! ```text
//!   Python                      here                           ob_refcnt
//!   x = "hello"                 let x = heap.str("hello")?     1
//!   y = x                       let y = x.clone()              2      (sys.getrefcount says 3:
//!   lst.append(x)               lst.append(&x)?                3       it counts its argument)
//!   del y; del lst              drop(y); drop(lst)             1
//!   del x                       drop(x)                        0  → deallocated, block freed
//! ```
//!
//! Every handle (`Obj`, `Str`, `List`...) is one strong reference: cloning it is `Py_INCREF`,
//! dropping it is `Py_DECREF`. A container holds one reference per slot. When the count reaches
//! zero the object is destroyed at once (no collector involved) and its memory block goes back to
//! pymalloc — or, for lists, floats, tuples and dicts, onto a free list for quick reuse.
//!
//! Some objects never die (PEP 683, CPython 3.12+): `None`, `True`/`False`, the ints −5..=256 and
//! interned strings are *immortal*; their count is pinned at a huge value and increments and
//! decrements leave it alone.
use pyheap::runtime::{Heap, Obj};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let quick = std::env::args().any(|a| a == "--quick");
    let n_items = if quick { 1_000 } else { 100_000 };
    let heap = Heap::new();

    println!("== 1. Handles are references ==");
    let x = heap.str("hello, refcounts")?.into_obj();
    println!(
        "   x = 'hello, refcounts'        getrefcount(x) = {}   (one handle, plus the argument, as sys.getrefcount counts)",
        heap.getrefcount(&x)
    );
    let y = x.clone();
    println!(
        "   y = x                         getrefcount(x) = {}   (y is x: {})",
        heap.getrefcount(&x),
        y.is(&x)
    );
    let z = x.clone();
    println!(
        "   z = x                         getrefcount(x) = {}",
        heap.getrefcount(&x)
    );
    drop(z);
    println!(
        "   del z                         getrefcount(x) = {}",
        heap.getrefcount(&x)
    );
    drop(y);
    println!(
        "   del y                         getrefcount(x) = {}",
        heap.getrefcount(&x)
    );

    println!("\n== 2. Containers hold references ==");
    let before = heap.getrefcount(&x);
    let lst = heap.list(&[])?;
    for _ in 0..3 {
        lst.append(&x)?;
    }
    println!(
        "   lst = [x, x, x]               getrefcount(x) = {}   (+{} for the three slots)",
        heap.getrefcount(&x),
        heap.getrefcount(&x) - before
    );
    let d = heap.dict()?;
    let key = heap.str("key")?;
    d.set(&key, &x)?;
    println!(
        "   d = {{'key': x}}                getrefcount(x) = {}   (+1 for the dict value)",
        heap.getrefcount(&x)
    );
    drop(lst);
    println!(
        "   del lst                       getrefcount(x) = {}   (the list's death released its three references)",
        heap.getrefcount(&x)
    );
    drop((d, key));
    println!(
        "   del d                         getrefcount(x) = {}",
        heap.getrefcount(&x)
    );
    let live = heap.live_objects();
    drop(x);
    println!(
        "   del x                         count reached 0: deallocated on the spot (live objects {live} → {})",
        heap.live_objects()
    );

    println!("\n== 3. Deallocation at zero ==");
    let live0 = heap.live_objects();
    let blocks0 = heap.blocks_in_use();
    println!("   start:                         live objects {live0}, blocks in use {blocks0}");
    let big = heap.list(&[])?;
    for i in 0..n_items {
        big.append(&heap.str(&format!("item {i}"))?)?;
    }
    let live1 = heap.live_objects();
    let blocks1 = heap.blocks_in_use();
    println!(
        "   big = [str(i) for i in range({n_items})]: live objects {live1}, blocks in use {blocks1} (+{} objects)",
        live1 - live0
    );
    let one = big.get(0)?;
    println!(
        "   getrefcount(big[0]) = {}   (the list slot, our handle, the argument)",
        heap.getrefcount(&one)
    );
    drop(one);
    drop(big);
    let live2 = heap.live_objects();
    let blocks2 = heap.blocks_in_use();
    let lists_free = heap.freelist_sizes().list;
    println!(
        "   del big:                       live objects {live2}, blocks in use {blocks2} ({} objects freed by refcounting, {} blocks returned)",
        live1 - live2,
        blocks1 - blocks2
    );
    println!(
        "   the list free list now holds {lists_free} list object(s): CPython keeps dead lists for reuse,"
    );
    println!("   so their blocks stay in use until the free list is emptied.");
    let pyheap::runtime::FreeListSizes {
        float: f,
        tuple: t,
        list: l,
        dict: d,
    } = heap.freelist_sizes();
    heap.clear_freelists();
    println!(
        "   after clearing the free lists ({} float, {} tuple, {} list, {} dict objects in all): blocks in use {}",
        f,
        t,
        l,
        d,
        heap.blocks_in_use()
    );

    println!("\n== 4. Immortal objects: the count does not move ==");
    let none = heap.none();
    let t = heap.bool(true);
    let seven = heap.int(7)?;
    let immortals: [(&str, &Obj); 3] = [("None", &none), ("True", &t), ("7", &seven)];
    let counts_before: Vec<usize> = immortals
        .iter()
        .map(|(_, o)| heap.getrefcount(*o))
        .collect();
    let holder = heap.list(&[])?;
    for _ in 0..n_items {
        holder.append(&none)?;
        holder.append(&t)?;
        holder.append(&seven)?;
    }
    for ((name, o), before) in immortals.iter().zip(&counts_before) {
        let after = heap.getrefcount(*o);
        println!(
            "   {name:<5} getrefcount = {before} before, {after} after {n_items} more references (unchanged: {})",
            before == &after
        );
    }
    drop(holder);
    let mortal = heap.int(1_000)?;
    let m_before = heap.getrefcount(&mortal);
    let keep = mortal.clone();
    println!(
        "   1000  getrefcount = {m_before} before, {} after one more reference (a mortal int)",
        heap.getrefcount(&mortal)
    );
    drop((keep, mortal));

    println!("\n== 5. The small-int cache: -5..=256 are preallocated ==");
    for v in [-6, -5, 0, 256, 257] {
        let a = heap.int(v)?;
        let b = heap.int(v)?;
        println!(
            "   int({v:>4}) is int({v:>4}): {:<5}  (id {:#x} vs {:#x})",
            a.is(&b),
            heap.id(&a),
            heap.id(&b)
        );
    }

    println!("\n== 6. Interning: one object per string value ==");
    let a = heap.intern("spam")?;
    let b = heap.intern("spam")?;
    println!(
        "   intern('spam') is intern('spam'): {}   (getrefcount {}: interned strings are immortal)",
        a.is(&b),
        heap.getrefcount(&a)
    );
    let c = heap.str("spam")?;
    let d = heap.str("spam")?;
    println!(
        "   str('spam') is str('spam'):       {}   (two objects with equal values: == {})",
        c.is(&d),
        c.py_eq(&d)
    );
    println!(
        "   intern(str('spam')) is intern('spam'): {}",
        heap.intern(c.as_str())?.is(&a)
    );
    drop((a, b, c, d));

    heap.check()?;
    println!(
        "\nheap invariants hold; live objects at the end: {}",
        heap.live_objects()
    );
    Ok(())
}
