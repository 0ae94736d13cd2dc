//! The flat sizes of the built-ins next to CPython 3.11's `sys.getsizeof` (for `pyheap sizes`).
//!
//! | object            | CPython 3.11 | here | why ours is not larger                         |
//! |-------------------|-------------:|-----:|------------------------------------------------|
//! | `None`            | 16           | 16   | header only                                    |
//! | `1000`            | 28           | 24   | fixed i64 instead of 30-bit digits             |
//! | `1.5`             | 24           | 24   | same                                           |
//! | `''` / `'abc'`    | 49 / 52      | 33 / 36 | UTF-8 + len + cached hash + state byte      |
//! | `()` `(1,)` 3-tuple | 40 48 64   | same | same layout                                    |
//! | `[]` / `[1,2,3]`  | 56 / 88      | 56 / 80 | same header; exact capacity from a slice    |
//! | `{}` / `{'a':1}` / 8 ints | 64 / 184 / 352 | 56 / 80 / 248 | table allocated lazily; small-vector mode |
//! | instance, 2 attrs | 56           | 48   | attribute table out of line (not counted, like CPython's values) |
//! | 2-slot instance   | 48           | 48   | same                                           |
//! | weakref           | 80           | 80   | same                                           |
//! | cell              | 40           | 40   | same                                           |

use crate::error::Result;
use crate::{ClassSpec, Heap, Obj};

/// One row of the sizes table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizeRow {
    /// What was measured, in Python syntax.
    pub name: &'static str,
    /// `heap.sizeof(..)`.
    pub ours: usize,
    /// CPython 3.11's `sys.getsizeof` on 64-bit Linux.
    pub cpython_3_11: usize,
}

/// Python expressions of the rows (for a `python3 -c` twin).
pub const PYTHON_EXPRESSIONS: &[(&str, &str)] = &[
    ("None", "None"),
    ("int 1000", "1000"),
    ("float 1.5", "1.5"),
    ("str ''", "''"),
    ("str 'abc'", "'abc'"),
    ("tuple ()", "()"),
    ("tuple (1,)", "(1,)"),
    ("tuple (1, 2, 3)", "(1, 2, 3)"),
    ("list []", "[]"),
    ("list [1, 2, 3]", "[1, 2, 3]"),
    ("dict {}", "{}"),
    ("dict {'a': 1}", "{'a': 1}"),
    ("dict 8 int keys", "{i: i for i in range(8)}"),
    ("instance, 2 attrs", "type('I', (), {})()"),
    (
        "instance, 2 slots",
        "type('S', (), {'__slots__': ('a', 'b')})()",
    ),
    ("weakref", "__import__('weakref').ref(type('W', (), {})())"),
    ("cell", "(lambda x: (lambda: x))(1).__closure__[0]"),
];

/// Measure every row on `heap`.
pub fn size_table(heap: &Heap) -> Result<Vec<SizeRow>> {
    let ints = |n: i64| (1..=n).map(|i| heap.int(i)).collect::<Result<Vec<Obj>>>();
    let d1 = heap.dict()?;
    d1.set(&heap.str("a")?, &heap.int(1)?)?;
    let d8 = heap.dict()?;
    for i in 0..8 {
        d8.set(&heap.int(i)?, &heap.int(i)?)?;
    }
    let cls = heap.new_class(ClassSpec::new("I"))?;
    let inst = cls.instantiate()?;
    inst.setattr("a", &heap.int(1)?)?;
    inst.setattr("b", &heap.int(2)?)?;
    let slots = heap.new_class(
        ClassSpec::new("S")
            .with_slots(&["a", "b"])
            .without_weakrefs(),
    )?;
    let rows: Vec<(&'static str, Obj, usize)> = vec![
        ("None", heap.none(), 16),
        ("int 1000", heap.int(1000)?, 28),
        ("float 1.5", heap.float(1.5)?, 24),
        ("str ''", heap.str("")?.into_obj(), 49),
        ("str 'abc'", heap.str("abc")?.into_obj(), 52),
        ("tuple ()", heap.tuple(&[])?.into_obj(), 40),
        ("tuple (1,)", heap.tuple(&ints(1)?)?.into_obj(), 48),
        ("tuple (1, 2, 3)", heap.tuple(&ints(3)?)?.into_obj(), 64),
        ("list []", heap.list(&[])?.into_obj(), 56),
        ("list [1, 2, 3]", heap.list(&ints(3)?)?.into_obj(), 88),
        ("dict {}", heap.dict()?.into_obj(), 64),
        ("dict {'a': 1}", d1.into_obj(), 184),
        ("dict 8 int keys", d8.into_obj(), 352),
        ("instance, 2 attrs", inst.obj(), 56),
        ("instance, 2 slots", slots.instantiate()?.into_obj(), 48),
        ("weakref", heap.weakref(&inst, None)?.into_obj(), 80),
        ("cell", heap.cell(Some(&heap.int(1)?))?.into_obj(), 40),
    ];
    Ok(rows
        .into_iter()
        .map(|(name, o, cpython_3_11)| SizeRow {
            name,
            ours: heap.sizeof(&o),
            cpython_3_11,
        })
        .collect())
}
