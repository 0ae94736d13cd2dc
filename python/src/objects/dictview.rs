//! Dict views: `d.keys()`, `d.values()`, `d.items()` hold the dict itself (not a copy), so
//! every read — `len`, iteration, `in`, repr, set algebra — sees the dict as it is now.
//!
//! ```text
//!   v = d.keys() ──► DictView { dict ─────► d, what: Keys }
//!   d['new'] = 1      (v unchanged)          d grows
//!   len(v), list(v), 'new' in v  ──► read d at that moment
//! ```

use pyheap_runtime::{EqHash, Heap, Member, Obj, RuntimeError, UserType, Visitor};

type Result<T> = std::result::Result<T, RuntimeError>;

/// Which part of each entry a view (and its iterator) shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewWhat {
    Keys = 0,
    Values,
    Items,
}

impl ViewWhat {
    /// The view type's name (`type(d.keys()).__name__`).
    pub fn type_name(self) -> &'static str {
        NAMES[self as usize]
    }
    /// The name of the iterator over such a view.
    pub fn iter_name(self) -> &'static str {
        match self {
            ViewWhat::Keys => "dict_keyiterator",
            ViewWhat::Values => "dict_valueiterator",
            ViewWhat::Items => "dict_itemiterator",
        }
    }
}

/// A live view of a dict (CPython's `_PyDictViewObject`: one reference, to the dict). `W` is
/// a [`ViewWhat`] as a number, so that each view kind is a type of its own (its name, and
/// keys/items views unhashable as CPython's, values views hashed by identity).
pub struct DictView<const W: u8> {
    pub dict: Member,
}

const NAMES: [&str; 3] = ["dict_keys", "dict_values", "dict_items"];

impl<const W: u8> UserType for DictView<W> {
    const NAME: &'static str = NAMES[W as usize];
    // Set-like views define `==` (by content, in `builtins::dictview`) and so lose `__hash__`.
    const EQ_HASH: EqHash = if W == ViewWhat::Values as u8 {
        EqHash::Identity
    } else {
        EqHash::ValueUnhashable
    };
    // CPython's views take no weak references.
    const WEAKREFABLE: bool = false;
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.dict);
    }
    // A view always holds its dict (CPython's views have no `tp_clear` either): a cycle through
    // a view (`d['v'] = d.keys()`) also runs through the dict, whose clear breaks it.
    fn clear(&mut self) {}
}

/// A new view of `what` over `dict`.
pub fn new_view<'h>(heap: &'h Heap, dict: &Obj<'h>, what: ViewWhat) -> Result<Obj<'h>> {
    let dict = Member::new(dict);
    Ok(match what {
        ViewWhat::Keys => heap.new_user(DictView::<0> { dict })?.into_obj(),
        ViewWhat::Values => heap.new_user(DictView::<1> { dict })?.into_obj(),
        ViewWhat::Items => heap.new_user(DictView::<2> { dict })?.into_obj(),
    })
}

/// The dict a view shows and which part; `None` when `o` is not a view.
pub fn view_of<'h>(heap: &'h Heap, o: &Obj<'h>) -> Result<Option<(Obj<'h>, ViewWhat)>> {
    fn one<'h, const W: u8>(heap: &'h Heap, o: &Obj<'h>) -> Result<Option<Obj<'h>>> {
        match o.downcast_user::<DictView<W>>() {
            Some(v) => Ok(Some(v.borrow()?.dict.get(heap)?)),
            None => Ok(None),
        }
    }
    if let Some(d) = one::<0>(heap, o)? {
        return Ok(Some((d, ViewWhat::Keys)));
    }
    if let Some(d) = one::<1>(heap, o)? {
        return Ok(Some((d, ViewWhat::Values)));
    }
    Ok(one::<2>(heap, o)?.map(|d| (d, ViewWhat::Items)))
}
