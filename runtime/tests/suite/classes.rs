//! Classes with bases: the C3 MRO against CPython 3.11 (`python3 -S`, cases from `test_descr`),
//! attribute lookup along it, isinstance, instance layouts across bases, inherited and
//! late-set `__del__`, `__hash__`/`__eq__`/`__repr__` dispatched through the call hook, and the
//! attribute table's order against CPython's instance `__dict__` as it grows and shrinks.

use crate::cpython;
use pyheap_runtime::{Class, ClassSpec, Heap, Obj, RuntimeError, UserType, Visitor};
use std::cell::RefCell;
use std::rc::Rc;

type R = Result<(), RuntimeError>;

fn class<'h>(heap: &'h Heap, name: &str, bases: &[&Class<'h>]) -> Class<'h> {
    heap.new_class(ClassSpec::new(name).with_bases(bases))
        .unwrap()
}

fn mro_names(c: &Class<'_>) -> Vec<String> {
    c.mro().iter().map(|k| k.name().to_string()).collect()
}

fn err(r: Result<Class<'_>, RuntimeError>) -> String {
    r.map(|_| ()).unwrap_err().to_string()
}

#[test]
fn diamond_and_test_descr_mros() {
    let heap = Heap::new();
    // test_descr.test_diamond_inheritance-like: D(B, C), B(A), C(A) → D B C A object.
    let a = class(&heap, "A", &[]);
    let b = class(&heap, "B", &[&a]);
    let c = class(&heap, "C", &[&a]);
    let d = class(&heap, "D", &[&b, &c]);
    assert_eq!(mro_names(&d), ["D", "B", "C", "A"]);
    // test_descr.test_mro: the C3 paper's "ex5" (python3 -S: A B C D E F object).
    let f = class(&heap, "F", &[]);
    let e = class(&heap, "E", &[]);
    let dd = class(&heap, "D", &[]);
    let cc = class(&heap, "C", &[&dd, &f]);
    let bb = class(&heap, "B", &[&dd, &e]);
    let aa = class(&heap, "A", &[&bb, &cc]);
    assert_eq!(mro_names(&aa), ["A", "B", "C", "D", "E", "F"]);
    // The Pane example (python3 -S: EditableScrollablePane ScrollablePane EditablePane Pane
    // ScrollingMixin EditingMixin object).
    let pane = class(&heap, "Pane", &[]);
    let scrolling = class(&heap, "ScrollingMixin", &[]);
    let editing = class(&heap, "EditingMixin", &[]);
    let sp = class(&heap, "ScrollablePane", &[&pane, &scrolling]);
    let ep = class(&heap, "EditablePane", &[&pane, &editing]);
    let esp = class(&heap, "EditableScrollablePane", &[&sp, &ep]);
    assert_eq!(
        mro_names(&esp),
        [
            "EditableScrollablePane",
            "ScrollablePane",
            "EditablePane",
            "Pane",
            "ScrollingMixin",
            "EditingMixin"
        ]
    );
    assert!(d.is_subclass(&a) && d.is_subclass(&d) && !a.is_subclass(&d));
    assert!(!b.is_subclass(&c));
    assert_eq!(d.bases().len(), 2);
}

#[test]
fn inconsistent_mros_fail_with_cpythons_messages() {
    let heap = Heap::new();
    let a = class(&heap, "A", &[]);
    let b = class(&heap, "B", &[&a]);
    let c = class(&heap, "C", &[&a]);
    let new = |bases: &[&Class<'_>]| err(heap.new_class(ClassSpec::new("X").with_bases(bases)));
    // python3 -S: type('X', (A, B), {}) and type('X', (A, C, B), {}) (test_mro_disagreement).
    assert_eq!(
        new(&[&a, &b]),
        "TypeError: Cannot create a consistent method resolution\norder (MRO) for bases A, B"
    );
    assert_eq!(
        new(&[&a, &c, &b]),
        "TypeError: Cannot create a consistent method resolution\norder (MRO) for bases A, C, B"
    );
    assert_eq!(new(&[&b, &b]), "TypeError: duplicate base class B");
    let grid = class(&heap, "GridLayout", &[]);
    let h = class(&heap, "HorizontalGrid", &[&grid]);
    let v = class(&heap, "VerticalGrid", &[&grid]);
    let hv = class(&heap, "HVGrid", &[&h, &v]);
    let vh = class(&heap, "VHGrid", &[&v, &h]);
    assert_eq!(
        new(&[&hv, &vh]),
        "TypeError: Cannot create a consistent method resolution\norder (MRO) for bases \
         HorizontalGrid, VerticalGrid"
    );
    // A failed creation leaks nothing: only the classes above are alive.
    drop((a, b, c, grid, h, v, hv, vh));
    heap.gc().collect(2).unwrap();
    assert_eq!(heap.live_objects(), 0);
}

#[test]
fn bases_must_be_classes_of_this_heap() -> R {
    let heap = Heap::new();
    let other = Heap::new();
    let foreign = other.new_class(ClassSpec::new("F"))?;
    assert_eq!(
        err(heap.new_class(ClassSpec::new("X").with_bases(&[&foreign]))),
        RuntimeError::ForeignObject.to_string()
    );
    Ok(())
}

#[test]
fn attributes_along_the_mro_and_get_own() -> R {
    let heap = Heap::new();
    let a = class(&heap, "A", &[]);
    let b = class(&heap, "B", &[&a]);
    let c = class(&heap, "C", &[&a]);
    let d = class(&heap, "D", &[&b, &c]);
    a.setattr("who", &heap.str("A")?)?;
    c.setattr("who", &heap.str("C")?)?;
    a.setattr("only_a", &heap.int(1)?)?;
    // D B C A: C's attribute comes before A's.
    assert_eq!(d.getattr("who")?.str_value()?, "C");
    assert_eq!(d.getattr("only_a")?.as_int()?, 1);
    assert!(d.get_own("who").is_none());
    let x = d.instantiate()?;
    assert_eq!(x.getattr("who")?.str_value()?, "C");
    assert!(x.get_own("who").is_none());
    x.setattr("who", &heap.str("x")?)?;
    assert_eq!(x.get_own("who").unwrap().str_value()?, "x");
    assert!(x.isinstance(&a) && x.isinstance(&d) && x.obj().isinstance(&b));
    assert!(!heap.int(3)?.isinstance(&a));
    c.delattr("who")?;
    assert_eq!(d.getattr("who")?.str_value()?, "A");
    assert!(c.delattr("who").is_err());
    Ok(())
}

#[test]
fn slots_across_bases_and_layout_conflicts() -> R {
    let heap = Heap::new();
    let s1 = heap.new_class(ClassSpec::new("S1").with_slots(&["a"]).without_weakrefs())?;
    let s2 = heap.new_class(ClassSpec::new("S2").with_slots(&["b"]).without_weakrefs())?;
    // python3 -S: class Z(S1, S2): pass → TypeError: multiple bases have instance lay-out conflict
    assert_eq!(
        err(heap.new_class(ClassSpec::new("Z").with_bases(&[&s1, &s2]))),
        "TypeError: multiple bases have instance lay-out conflict"
    );
    let s3 = heap.new_class(
        ClassSpec::new("S3")
            .with_bases(&[&s1])
            .with_slots(&["c"])
            .without_weakrefs(),
    )?;
    // class M(S3, S1): pass — fine (S3's solid base is below S1's); M has a __dict__.
    let m = heap.new_class(
        ClassSpec::new("M")
            .with_bases(&[&s3, &s1])
            .without_weakrefs(),
    )?;
    // CPython: M.__basicsize__ 40 (16 header + a, c + dict pointer), S3's 32.
    assert_eq!(m.instance_type().basic_size(), 40);
    assert_eq!(s3.instance_type().basic_size(), 32);
    let i = m.instantiate()?;
    i.setattr("a", &heap.int(1)?)?;
    i.setattr("c", &heap.int(2)?)?;
    i.setattr("z", &heap.int(3)?)?; // the table
    assert_eq!(i.attr_names(), ["a", "c", "z"]);
    let j = s3.instantiate()?;
    j.setattr("a", &heap.int(4)?)?;
    assert!(matches!(
        j.setattr("z", &heap.int(5)?),
        Err(RuntimeError::NoSlot { .. })
    ));
    // An empty-slots base does not conflict: class P(N, S1) with N plain.
    let n = heap.new_class(ClassSpec::new("N").without_weakrefs())?;
    let p = heap.new_class(
        ClassSpec::new("P")
            .with_bases(&[&n, &s1])
            .with_slots(&["q"])
            .without_weakrefs(),
    )?;
    assert_eq!(p.instance_type().basic_size(), 40); // as CPython's P.__basicsize__
    drop((i, j));
    assert_eq!(heap.live_objects(), 6);
    Ok(())
}

/// A built-in function of the toy VM the tests' call hook runs.
struct NativeFn(for<'h> fn(&'h Heap, &[Obj<'h>]) -> Result<Obj<'h>, RuntimeError>);
impl UserType for NativeFn {
    const NAME: &'static str = "builtin_function";
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
}

fn vm_heap() -> Heap {
    let heap = Heap::new();
    heap.set_call_hook(Some(Rc::new(
        |heap: &Heap, f: &Obj<'_>, args: &[Obj<'_>]| {
            let native = f.as_user::<NativeFn>()?.borrow()?.0;
            native(heap, args)
        },
    )));
    heap
}

fn native<'h>(
    heap: &'h Heap,
    f: for<'a> fn(&'a Heap, &[Obj<'a>]) -> Result<Obj<'a>, RuntimeError>,
) -> Obj<'h> {
    heap.new_user(NativeFn(f)).unwrap().into_obj()
}

thread_local! {
    static DELETED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn record_del<'h>(heap: &'h Heap, args: &[Obj<'h>]) -> Result<Obj<'h>, RuntimeError> {
    let name = args[0].getattr("name")?.str_value()?.to_string();
    DELETED.with(|d| d.borrow_mut().push(name));
    Ok(heap.none())
}

#[test]
fn del_set_after_creation_and_inherited() -> R {
    let heap = vm_heap();
    let base = class(&heap, "Base", &[]);
    let sub = class(&heap, "Sub", &[&base]);
    let x = sub.instantiate()?;
    x.setattr("name", &heap.str("x")?)?;
    // `Base.__del__ = f` after both classes exist: found at death, through the MRO.
    base.setattr("__del__", &native(&heap, record_del))?;
    drop(x);
    assert_eq!(DELETED.with(|d| d.take()), ["x"]);
    // In a cycle: the collector runs it too (PEP 442), once.
    let y = sub.instantiate()?;
    y.setattr("name", &heap.str("y")?)?;
    y.setattr("me", &y)?;
    drop(y);
    assert!(DELETED.with(|d| d.borrow().is_empty()));
    heap.gc().collect(2).unwrap();
    assert_eq!(DELETED.with(|d| d.take()), ["y"]);
    // Removing it stops it (the dunder cache sees the change).
    base.delattr("__del__")?;
    drop(sub.instantiate()?);
    assert!(DELETED.with(|d| d.borrow().is_empty()));
    // A Rust `with_del` is inherited too.
    let count = Rc::new(std::cell::Cell::new(0));
    let c2 = count.clone();
    let rbase = heap.new_class(ClassSpec::new("RB").with_del(move |_, _| c2.set(c2.get() + 1)))?;
    let rsub = class(&heap, "RS", &[&rbase]);
    drop(rsub.instantiate()?);
    assert_eq!(count.get(), 1);
    Ok(())
}

#[test]
fn a_failing_python_del_is_reported_as_unraisable() -> R {
    let heap = vm_heap();
    let seen = Rc::new(RefCell::new(Vec::<String>::new()));
    let s2 = seen.clone();
    heap.set_unraisable_hook(Some(Rc::new(move |m: &str| {
        s2.borrow_mut().push(m.to_string())
    })));
    let a = class(&heap, "A", &[]);
    a.setattr("__del__", &heap.str("not a function")?)?; // the hook fails: wrong type
    drop(a.instantiate()?);
    let seen = seen.borrow();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].starts_with("Exception ignored in: <str object at "), // about `__del__`
        "{}",
        seen[0]
    );
    assert!(
        seen[0].contains("TypeError: expected builtin_function, got str"),
        "{}",
        seen[0]
    );
    Ok(())
}

fn hash_by_x<'h>(heap: &'h Heap, args: &[Obj<'h>]) -> Result<Obj<'h>, RuntimeError> {
    heap.int(args[0].getattr("x")?.hash()?)
}
fn eq_by_x<'h>(heap: &'h Heap, args: &[Obj<'h>]) -> Result<Obj<'h>, RuntimeError> {
    let other = match args[1].getattr("x") {
        Ok(v) => v,
        Err(_) => return Ok(heap.bool(false)),
    };
    Ok(heap.bool(args[0].getattr("x")?.try_eq(&other)?))
}
fn repr_point<'h>(heap: &'h Heap, args: &[Obj<'h>]) -> Result<Obj<'h>, RuntimeError> {
    Ok(heap
        .str(&format!("P({})", args[0].getattr("x")?.repr()))?
        .into_obj())
}

#[test]
fn python_hash_eq_repr_make_instances_dict_keys() -> R {
    let heap = vm_heap();
    let p = class(&heap, "P", &[]);
    p.setattr("__hash__", &native(&heap, hash_by_x))?;
    p.setattr("__eq__", &native(&heap, eq_by_x))?;
    p.setattr("__repr__", &native(&heap, repr_point))?;
    let sub = class(&heap, "Q", &[&p]); // inherits all three
    fn point<'h>(heap: &'h Heap, c: &Class<'h>, x: i64) -> Result<Obj<'h>, RuntimeError> {
        let o = c.instantiate()?;
        o.setattr("x", &heap.int(x)?)?;
        Ok(o.into_obj())
    }
    let (a, b, c) = (
        point(&heap, &p, 7)?,
        point(&heap, &sub, 7)?,
        point(&heap, &p, 8)?,
    );
    assert_eq!(a.hash()?, 7);
    assert!(a.py_eq(&b) && !a.py_eq(&c));
    assert!(p.instance_type().has_value_eq() && p.instance_type().is_hashable());
    let d = heap.dict()?;
    d.set(&a, &heap.str("seven")?)?;
    d.set(&c, &heap.str("eight")?)?;
    assert_eq!(d.get(&b)?.unwrap().str_value()?, "seven");
    assert_eq!(d.len(), 2);
    assert_eq!(a.repr(), "P(7)");
    assert_eq!(heap.list(&[a.clone(), c.clone()])?.repr(), "[P(7), P(8)]");
    let small = heap.dict()?;
    small.set(&a, &heap.int(1)?)?;
    assert_eq!(small.repr(), "{P(7): 1}");
    Ok(())
}

#[test]
fn unhashable_classes_as_in_python3() -> R {
    let heap = vm_heap();
    // __hash__ = None.
    let a = class(&heap, "A", &[]);
    a.setattr("__hash__", &heap.none())?;
    let x = a.instantiate()?;
    assert_eq!(x.hash(), Err(RuntimeError::Unhashable("A".into())));
    assert!(!a.instance_type().is_hashable());
    assert!(heap.dict()?.set(&x, &heap.none()).is_err());
    // __eq__ without __hash__ (python3 -S: TypeError: unhashable type: 'E'), inherited too.
    let e = class(&heap, "E", &[]);
    e.setattr("__eq__", &native(&heap, eq_by_x))?;
    let f = class(&heap, "F", &[&e]);
    assert_eq!(
        f.instantiate()?.hash(),
        Err(RuntimeError::Unhashable("F".into()))
    );
    // ... unless a class before it in the MRO defines __hash__.
    let g = class(&heap, "G", &[&e]);
    g.setattr("__hash__", &native(&heap, hash_by_x))?;
    let gi = g.instantiate()?;
    gi.setattr("x", &heap.int(3)?)?;
    assert_eq!(gi.hash()?, 3);
    // Plain classes: identity.
    let plain = class(&heap, "Plain", &[]).instantiate()?;
    assert!(plain.hash().is_ok() && !plain.py_eq(&class(&heap, "Plain", &[]).instantiate()?));
    Ok(())
}

#[test]
fn calling_without_a_hook_is_not_callable() -> R {
    let heap = Heap::new();
    let s = heap.str("f")?;
    assert_eq!(
        heap.call(&s, &[]).unwrap_err().to_string(),
        "TypeError: 'str' object is not callable"
    );
    // A class's __repr__ that cannot be called falls back to the default form.
    let a = class(&heap, "A", &[]);
    a.setattr("__repr__", &s)?;
    assert!(a.instantiate()?.repr().starts_with("<A object at 0x"));
    Ok(())
}

/// The attribute table (one allocator block, grown by doubling past pymalloc's 512 bytes into the
/// system allocator) keeps CPython's `__dict__` order through stores, deletions and re-stores,
/// and every block it took is given back when the instance dies.
#[test]
fn attribute_table_order_through_growth_and_deletions() -> R {
    const SCRIPT: &str = "class C: pass\no = C()\nfor i in range(60): setattr(o, 'a%d' % i, i)\n\
        for i in range(0, 60, 3): delattr(o, 'a%d' % i)\nfor i in (3, 0, 57): setattr(o, 'a%d' % i, -i)\n\
        print(' '.join('%s=%d' % kv for kv in vars(o).items()))\n";
    let theirs = cpython::answers_or_recorded!(SCRIPT, "", "attr_table_order.expected");
    let heap = Heap::new();
    heap.gc().disable();
    let c = class(&heap, "C", &[]);
    let before = heap.allocator_stats();
    let o = c.instantiate()?;
    for i in 0..60 {
        o.setattr(&format!("a{i}"), &heap.int(i)?)?;
    }
    for i in (0..60).step_by(3) {
        o.delattr(&format!("a{i}"))?;
    }
    for i in [3i64, 0, 57] {
        o.setattr(&format!("a{i}"), &heap.int(-i)?)?;
    }
    let ours: Vec<String> = o
        .attr_names()
        .iter()
        .map(|n| Ok(format!("{n}={}", o.get_own(n).unwrap().as_int()?)))
        .collect::<Result<_, RuntimeError>>()?;
    assert_eq!(theirs, [ours.join(" ")]);
    drop(o);
    let after = heap.allocator_stats();
    assert_eq!(
        (after.blocks_in_use, after.large_blocks_in_use),
        (before.blocks_in_use, before.large_blocks_in_use)
    );
    Ok(())
}

#[test]
fn dunder_bits_follow_the_mro_and_later_stores() -> R {
    let heap = Heap::new();
    let base = class(&heap, "Base", &[]);
    let sub = class(&heap, "Sub", &[&base]);
    assert!(!sub.defines_getattribute() && !sub.defines_setattr());
    // A store on the base after the subclass exists is seen through the subclass.
    base.setattr("__getattribute__", &heap.none())?;
    assert!(sub.defines_getattribute() && base.defines_getattribute());
    assert!(!sub.defines_setattr());
    sub.setattr("__setattr__", &heap.none())?;
    assert!(sub.defines_setattr() && !base.defines_setattr());
    base.delattr("__getattribute__")?;
    assert!(!sub.defines_getattribute());
    assert!(!sub.has_native());
    Ok(())
}

#[test]
fn an_instance_dict_once_materialized_holds_the_attributes() -> R {
    let heap = Heap::new();
    let a = class(&heap, "A", &[]);
    let x = a.instantiate()?;
    x.setattr("p", &heap.int(1)?)?;
    let d = x.dict()?.expect("a table class has a dict");
    assert_eq!(d.len(), 1);
    // The same dict each time; stores either way show on the other side.
    assert!(x.dict()?.unwrap().is(&d));
    d.set(&heap.str("q")?, &heap.int(2)?)?;
    assert_eq!(x.get_own("q").unwrap().as_int()?, 2);
    x.setattr("r", &heap.int(3)?)?;
    assert_eq!(d.get(&heap.str("r")?)?.unwrap().as_int()?, 3);
    assert_eq!(x.attr_names(), ["p", "q", "r"]);
    x.delattr("p")?;
    assert!(x.get_own("p").is_none() && d.len() == 2);
    assert!(matches!(
        x.delattr("p"),
        Err(RuntimeError::MissingAttribute { .. })
    ));
    // Replacing the dict: the old one is no longer the instance's.
    let e = heap.dict()?;
    e.set(&heap.str("s")?, &heap.int(4)?)?;
    x.set_dict(&e)?;
    assert!(x.get_own("q").is_none() && x.get_own("s").is_some());
    assert_eq!(d.len(), 2);
    // A cycle through the dict is garbage once dropped.
    e.set(&heap.str("me")?, &x)?;
    drop((x, d, e));
    assert!(heap.gc().collect(2).expect("collect") >= 2);
    heap.check()
        .map_err(|e| RuntimeError::ValueError(e.to_string()))?;
    // Slots-only instances have none.
    let s = heap.new_class(ClassSpec::new("S").with_slots(&["a"]))?;
    assert!(s.instantiate()?.dict()?.is_none());
    Ok(())
}

/// A metaclass (`ClassSpec::metaclass_base`) and a class made with it: the class's type is the
/// metaclass, which it holds strongly and reports to the collector; a cycle through both is
/// collected, and a class of a non-metaclass is refused.
#[test]
fn metaclass_instances_are_classes_held_and_collected() -> R {
    let heap = Heap::new();
    let live = heap.live_objects();
    {
        let meta = heap.new_class(ClassSpec::new("Meta").metaclass_base())?;
        assert!(meta.makes_classes());
        let a = heap.new_class(ClassSpec::new("A").with_metaclass(&meta))?;
        assert_eq!(a.obj().type_name(), "Meta");
        assert!(a.metaclass().is_some_and(|m| m.is(&meta)));
        assert!(a.instance_type().kind() == pyheap_runtime::Kind::Instance);
        // A subclass of a metaclass makes classes too.
        let sub = heap.new_class(ClassSpec::new("SubMeta").with_bases(&[&meta]))?;
        assert!(sub.makes_classes());
        let refs = heap.gc().get_referents(&a);
        assert!(
            refs.iter().any(|r| r.is(&meta)),
            "the metaclass is a referent"
        );
        // A cycle: the metaclass names its class, the class itself.
        meta.setattr("last", &a)?;
        a.setattr("me", &a)?;
        let plain = heap.new_class(ClassSpec::new("Plain"))?;
        let e = heap.new_class(ClassSpec::new("B").with_metaclass(&plain));
        assert!(e.is_err());
    }
    assert!(heap.gc().collect(2).unwrap() > 0);
    assert_eq!(heap.live_objects(), live);
    Ok(())
}
