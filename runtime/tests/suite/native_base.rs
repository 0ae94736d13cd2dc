//! Classes whose instances carry a native Rust payload (`ClassSpec::with_native`): payload plus
//! attribute table and class, traversed and freed, inherited, MRO lookup, lay-out conflicts.

use pyheap_runtime::{ClassSpec, Heap, Member, RuntimeError, UserType, Visitor};
use std::cell::Cell;
use std::rc::Rc;

type R = Result<(), RuntimeError>;

/// A list-like payload; counts its drops.
struct Items {
    items: Vec<Member>,
    drops: Rc<Cell<usize>>,
}
impl UserType for Items {
    const NAME: &'static str = "Items";
    fn traverse(&self, visit: &mut Visitor<'_>) {
        self.items.iter().for_each(|m| visit.visit(m))
    }
    fn clear(&mut self) {
        self.items.clear()
    }
}
impl Drop for Items {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1)
    }
}

struct Other;
impl UserType for Other {
    const NAME: &'static str = "Other";
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
}

fn items(drops: &Rc<Cell<usize>>) -> impl Fn() -> Items + 'static {
    let d = drops.clone();
    move || Items {
        items: Vec::new(),
        drops: d.clone(),
    }
}

#[test]
fn instances_have_payload_attributes_and_class() -> R {
    let heap = Heap::new();
    let drops = Rc::new(Cell::new(0));
    let my_list = heap.new_class(ClassSpec::new("MyList").with_native(items(&drops)))?;
    my_list.setattr("greeting", &heap.str("hi")?)?;
    let x = my_list.instantiate()?;
    x.setattr("name", &heap.str("x")?)?;
    x.native_mut::<Items>()?
        .items
        .push(Member::new(&heap.int(7)?));
    assert_eq!(x.native::<Items>()?.items.len(), 1);
    assert_eq!(x.getattr("name")?.str_value()?, "x");
    assert_eq!(x.getattr("greeting")?.str_value()?, "hi");
    assert!(x.class().is(&my_list));
    // Wrong type and borrow errors.
    assert!(matches!(
        x.native::<Other>(),
        Err(RuntimeError::WrongType { .. })
    ));
    let held = x.native_mut::<Items>()?;
    assert!(matches!(
        x.native::<Items>(),
        Err(RuntimeError::Borrowed { .. })
    ));
    drop(held);
    let plain = heap.new_class(ClassSpec::new("Plain"))?.instantiate()?;
    assert!(matches!(
        plain.native::<Items>(),
        Err(RuntimeError::WrongType { .. })
    ));
    let live = heap.live_objects();
    drop(x);
    assert_eq!(drops.get(), 1, "payload dropped with the instance");
    assert!(heap.live_objects() < live);
    Ok(())
}

#[test]
fn cycles_through_the_payload_are_collected() -> R {
    let heap = Heap::new();
    let drops = Rc::new(Cell::new(0));
    let cls = heap.new_class(ClassSpec::new("Node").with_native(items(&drops)))?;
    heap.gc().collect(2).unwrap();
    let start = heap.live_objects();
    for _ in 0..100 {
        let a = cls.instantiate()?;
        let b = cls.instantiate()?;
        a.native_mut::<Items>()?.items.push(Member::new(&b)); // a -payload-> b
        b.setattr("back", &a)?; // b -attr-> a
        let referents = heap.gc().get_referents(&a);
        assert!(
            referents.iter().any(|o| o.is(&b)),
            "the payload is traversed"
        );
    }
    assert_eq!(heap.gc().collect(2).unwrap(), 200);
    assert_eq!(heap.live_objects(), start);
    assert_eq!(drops.get(), 200);
    Ok(())
}

#[test]
fn subclasses_inherit_the_payload_and_look_up_along_the_mro() -> R {
    let heap = Heap::new();
    let drops = Rc::new(Cell::new(0));
    let base = heap.new_class(ClassSpec::new("Base").with_native(items(&drops)))?;
    base.setattr("where", &heap.str("base")?)?;
    let mixin = heap.new_class(ClassSpec::new("Mixin"))?;
    mixin.setattr("where", &heap.str("mixin")?)?;
    mixin.setattr("only_mixin", &heap.int(1)?)?;
    let sub = heap.new_class(ClassSpec::new("Sub").with_bases(&[&base, &mixin]))?;
    let names: Vec<String> = sub.mro().iter().map(|c| c.name().to_string()).collect();
    assert_eq!(names, ["Sub", "Base", "Mixin"]);
    assert!(sub.has_native() && base.has_native() && !mixin.has_native());
    let s = sub.instantiate()?;
    assert_eq!(s.getattr("where")?.str_value()?, "base");
    assert_eq!(s.getattr("only_mixin")?.as_int()?, 1);
    assert!(s.isinstance(&base) && s.isinstance(&mixin));
    s.native_mut::<Items>()?.items.push(Member::new(&s));
    // A given value instead of the constructor's.
    let given = Items {
        items: vec![Member::new(&heap.int(1)?), Member::new(&heap.int(2)?)],
        drops: drops.clone(),
    };
    let t = sub.instantiate_native(given)?;
    assert_eq!(t.native::<Items>()?.items.len(), 2);
    assert!(matches!(
        sub.instantiate_native(Other),
        Err(RuntimeError::WrongType { .. })
    ));
    drop((s, t));
    heap.gc().collect(2).unwrap();
    assert_eq!(drops.get(), 2);
    Ok(())
}

#[test]
fn two_payload_types_are_a_layout_conflict() -> R {
    let heap = Heap::new();
    let drops = Rc::new(Cell::new(0));
    let a = heap.new_class(ClassSpec::new("A").with_native(items(&drops)))?;
    let b = heap.new_class(ClassSpec::new("B").with_native(|| Other))?;
    let Err(err) = heap.new_class(ClassSpec::new("C").with_bases(&[&a, &b])) else {
        panic!("a lay-out conflict was expected");
    };
    assert_eq!(
        err.to_string(),
        "TypeError: multiple bases have instance lay-out conflict"
    );
    // The same payload type through two bases is one layout.
    let a2 = heap.new_class(ClassSpec::new("A2").with_bases(&[&a]))?;
    let d = heap.new_class(ClassSpec::new("D").with_bases(&[&a2, &a]));
    assert!(d.is_ok());
    Ok(())
}

#[test]
fn a_payload_with_slots_and_without_a_table() -> R {
    let heap = Heap::new();
    let drops = Rc::new(Cell::new(0));
    let cls = heap.new_class(
        ClassSpec::new("Slotted")
            .with_slots(&["a", "b"])
            .with_native(items(&drops)),
    )?;
    let o = cls.instantiate()?;
    o.setattr("a", &heap.int(1)?)?;
    o.setattr("b", &o)?; // a cycle through a slot
    o.native_mut::<Items>()?.items.push(Member::new(&o)); // and one through the payload
    assert!(o.setattr("c", &heap.int(3)?).is_err());
    assert_eq!(o.getattr("a")?.as_int()?, 1);
    drop(o);
    assert_eq!(heap.gc().collect(2).unwrap(), 1);
    assert_eq!(drops.get(), 1);
    Ok(())
}

#[test]
fn teardown_frees_payloads_left_in_cycles() -> R {
    let drops = Rc::new(Cell::new(0));
    {
        let heap = Heap::new();
        let cls = heap.new_class(ClassSpec::new("N").with_native(items(&drops)))?;
        let a = cls.instantiate()?;
        a.native_mut::<Items>()?.items.push(Member::new(&a));
        cls.setattr("keep", &a)?;
    }
    assert_eq!(drops.get(), 1);
    Ok(())
}
