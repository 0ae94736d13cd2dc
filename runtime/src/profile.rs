//! Which CPython you are looking at: a profile (`--like 3.7 | 3.11 | 3.13`) naming what each
//! version implies for the memory system, defined once and used by every command.
//!
//! ```text
//!                      Py37                 Py311                Py313 (default)
//!  allocator layout    classic              modern               modern
//!    alignment         8 B (64 classes)     16 B (32 classes)    16 B (32 classes)
//!    pool / arena      4 KiB / 256 KiB      16 KiB / 1 MiB       16 KiB / 1 MiB
//!  gc thresholds       (700, 10, 10)        (700, 10, 10)        (2000, 10, 10)
//!  immortal objects    no                   no                   yes (PEP 683, 3.12+)
//!  getrefcount(None)   a real count         a real count         4294967295
//!  untracking          tuples of atoms: every collection; dicts of atoms: at creation and in
//!                      full collections (the same rule in all three)
//! ```
//!
//! A heap runs either layout ([`Heap::with_layout`](crate::Heap::with_layout),
//! [`Like::allocator_layout`]): the commands that own a
//! [`Pymalloc`](pyheap_allocator::Pymalloc) of their own (`pyheap map`, `pyheap stats`) and those
//! that run a heap (`pyheap run`, `repl`) honour a classic profile alike. The collector's thresholds and the refcount shown for immortal objects
//! follow the profile everywhere: [`Like::gc_config`] and [`Like::shown_refcount`].
//!
//! Our heap keeps `None`, `True`, `False`, the small ints and `()` immortal whatever the
//! profile: under 3.7 and 3.11 CPython counts every reference to `None` in the whole interpreter
//! (`python3.11 -S -c "import sys; print(sys.getrefcount(None))"` prints a few thousand), a number
//! no model of one program's heap can reproduce, so [`Like::shown_refcount`] answers `None` there
//! and the caller says why instead of printing a made-up count.

use pyheap_gc::GcConfig;
use std::fmt;
use std::str::FromStr;

/// A CPython version whose memory-system behaviour pyheap reproduces (`--like`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Like {
    /// CPython 3.7 (to 3.9): the classic obmalloc layout, thresholds (700, 10, 10), no immortals.
    Py37,
    /// CPython 3.11 (3.10 to 3.11): the modern layout, thresholds (700, 10, 10), no immortals.
    Py311,
    /// CPython 3.13 (3.12 to 3.14.5+): the modern layout, thresholds (2000, 10, 10), immortal
    /// objects. The default.
    #[default]
    Py313,
}

/// What [`Like::gc_start_state`] reports: generation counts and per-generation
/// (collections, collected) at a script's first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GcStartState {
    /// `gc.get_count()`.
    pub counts: [usize; 3],
    /// `gc.get_stats()[g]["collections"]`.
    pub collections: [usize; 3],
    /// `gc.get_stats()[g]["collected"]`.
    pub collected: [usize; 3],
}

/// Which pymalloc geometry a heap runs ([`Heap::with_layout`](crate::Heap::with_layout)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AllocatorLayout {
    /// CPython 3.10+: 16-byte alignment (32 size classes), 16 KiB pools, 1 MiB arenas.
    #[default]
    Modern,
    /// CPython ≤ 3.9: 8-byte alignment (64 size classes), 4 KiB pools, 256 KiB arenas.
    Classic,
}

/// The allocator geometry a profile implies (the numbers of
/// [`Tunables`](pyheap_allocator::Tunables)' two layouts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutFacts {
    /// `"classic"` or `"modern"` (the allocator layout's `NAME`).
    pub name: &'static str,
    /// Block alignment and size-class step, bytes.
    pub alignment: usize,
    /// Pool size, bytes.
    pub pool_size: usize,
    /// Arena size, bytes.
    pub arena_size: usize,
}

impl LayoutFacts {
    /// Number of size classes (512 / alignment).
    pub fn size_classes(&self) -> usize {
        pyheap_allocator::SMALL_REQUEST_THRESHOLD / self.alignment
    }
}

/// The value `sys.getrefcount` prints for an immortal object in CPython 3.12 and 3.13 on 64-bit
/// (`_Py_IMMORTAL_REFCNT`, `UINT_MAX`).
pub const CPYTHON_IMMORTAL_REFCNT: usize = u32::MAX as usize;

/// An unknown `--like` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown CPython version {0:?} for --like: use 3.7, 3.11 or 3.13")]
pub struct UnknownLike(pub String);

impl Like {
    /// Every profile, oldest first.
    pub const ALL: [Like; 3] = [Like::Py37, Like::Py311, Like::Py313];

    /// `"3.7"`, `"3.11"`, `"3.13"`.
    pub fn version(self) -> &'static str {
        match self {
            Like::Py37 => "3.7",
            Like::Py311 => "3.11",
            Like::Py313 => "3.13",
        }
    }

    /// `"CPython 3.13"`: the words every screen uses to name its source.
    pub fn label(self) -> String {
        format!("CPython {}", self.version())
    }

    /// The allocator layout of this version.
    pub fn layout(self) -> LayoutFacts {
        match self {
            Like::Py37 => LayoutFacts {
                name: "classic",
                alignment: 8,
                pool_size: 4 << 10,
                arena_size: 256 << 10,
            },
            Like::Py311 | Like::Py313 => LayoutFacts {
                name: "modern",
                alignment: 16,
                pool_size: 16 << 10,
                arena_size: 1 << 20,
            },
        }
    }

    /// Does this version use the classic layout (8-byte classes, 4 KiB pools, 256 KiB arenas)?
    pub fn classic_layout(self) -> bool {
        self.allocator_layout() == AllocatorLayout::Classic
    }

    /// The allocator layout a heap of this version runs.
    pub fn allocator_layout(self) -> AllocatorLayout {
        match self {
            Like::Py37 => AllocatorLayout::Classic,
            Like::Py311 | Like::Py313 => AllocatorLayout::Modern,
        }
    }

    /// The collector configuration: thresholds (700, 10, 10) before 3.13, (2000, 10, 10) after.
    pub fn gc_config(self) -> GcConfig {
        match self {
            Like::Py37 | Like::Py311 => GcConfig::CPYTHON_3_11,
            Like::Py313 => GcConfig::CPYTHON_3_13,
        }
    }

    /// The collector's state at a script's start under this version: `gc.get_count()` and
    /// `gc.get_stats()` read on the second line of `import gc` / `print(...)` run as
    /// `pythonX.Y -S FILE`. The statistics are the start-up's own young collections; the
    /// count is what its allocations left plus what compiling that script and importing `gc`
    /// allocated (a bigger script starts higher in CPython: a few objects per function).
    pub fn gc_start_state(self) -> GcStartState {
        match self {
            Like::Py37 => GcStartState {
                counts: [334, 7, 0],
                collections: [7, 0, 0],
                collected: [0, 0, 0],
            },
            Like::Py311 => GcStartState {
                counts: [446, 6, 0],
                collections: [6, 0, 0],
                collected: [24, 0, 0],
            },
            Like::Py313 => GcStartState {
                counts: [520, 2, 0],
                collections: [2, 0, 0],
                collected: [24, 0, 0],
            },
        }
    }

    /// Does this version have immortal objects (PEP 683, CPython 3.12+)?
    pub fn immortal_objects(self) -> bool {
        matches!(self, Like::Py313)
    }

    /// The untracking rules of this version's collector, in one sentence.
    pub fn untracking_rule(self) -> &'static str {
        "tuples whose items are all untracked or atomic are untracked by every collection; \
         dicts holding only atoms are created untracked and untracked again by full collections"
    }

    /// What `sys.getrefcount` prints in this version for an object whose count our heap reports
    /// as `ours` (from [`Heap::getrefcount`](crate::Heap::getrefcount)) and that our heap keeps
    /// immortal when `immortal` is true. Mortal objects print `ours`; immortal ones print
    /// `CPYTHON_IMMORTAL_REFCNT` (2^32 − 1) under 3.13, and `None` under 3.7/3.11, where CPython prints
    /// a count of every reference in the interpreter (module docs).
    pub fn shown_refcount(self, ours: usize, immortal: bool) -> Option<usize> {
        match (immortal, self.immortal_objects()) {
            (false, _) => Some(ours),
            (true, true) => Some(CPYTHON_IMMORTAL_REFCNT),
            (true, false) => None,
        }
    }

    /// Thresholds as Python prints `gc.get_threshold()`: `(700, 10, 10)`.
    pub fn thresholds_text(self) -> String {
        let t = self.gc_config().thresholds;
        format!("({}, {}, {})", t[0], t[1], t[2])
    }

    /// A one-line summary: `CPython 3.7: classic layout (8 B classes, 4 KiB pools, 256 KiB
    /// arenas), thresholds (700, 10, 10), no immortal objects`.
    pub fn summary(self) -> String {
        let l = self.layout();
        format!(
            "{}: {} layout ({} B classes, {} KiB pools, {} KiB arenas), thresholds {}, {}",
            self.label(),
            l.name,
            l.alignment,
            l.pool_size >> 10,
            l.arena_size >> 10,
            self.thresholds_text(),
            if self.immortal_objects() {
                "immortal objects"
            } else {
                "no immortal objects"
            }
        )
    }
}

impl fmt::Display for Like {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.version())
    }
}

impl FromStr for Like {
    type Err = UnknownLike;
    /// Accepts `3.7`, `3.11`, `3.13` (also with a `py`/`python` prefix).
    fn from_str(s: &str) -> Result<Like, UnknownLike> {
        let v = s
            .trim()
            .trim_start_matches("python")
            .trim_start_matches("py")
            .trim();
        Like::ALL
            .into_iter()
            .find(|l| l.version() == v)
            .ok_or_else(|| UnknownLike(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyheap_allocator::{Classic, Modern, Tunables};

    #[test]
    fn layouts_match_the_allocator_tunables() {
        let c = Like::Py37.layout();
        assert_eq!(
            (c.name, c.alignment, c.pool_size, c.arena_size),
            (
                Classic::NAME,
                Classic::ALIGNMENT,
                Classic::POOL_SIZE,
                Classic::ARENA_SIZE
            )
        );
        assert_eq!(c.size_classes(), Classic::NB_SMALL_SIZE_CLASSES);
        for like in [Like::Py311, Like::Py313] {
            let m = like.layout();
            assert_eq!(
                (m.name, m.alignment, m.pool_size, m.arena_size),
                (
                    Modern::NAME,
                    Modern::ALIGNMENT,
                    Modern::POOL_SIZE,
                    Modern::ARENA_SIZE
                )
            );
        }
    }

    #[test]
    fn parse_and_display_round_trip() {
        for like in Like::ALL {
            assert_eq!(like.to_string().parse::<Like>(), Ok(like));
        }
        assert_eq!("py3.11".parse::<Like>(), Ok(Like::Py311));
        assert!("3.12".parse::<Like>().is_err());
        assert_eq!(Like::default(), Like::Py313);
    }

    #[test]
    fn immortal_refcount_is_what_cpython_prints() {
        assert_eq!(Like::Py313.shown_refcount(12, true), Some(4294967295));
        assert_eq!(Like::Py311.shown_refcount(12, true), None);
        assert_eq!(Like::Py37.shown_refcount(3, false), Some(3));
        assert_eq!(Like::Py311.gc_config().thresholds, [700, 10, 10]);
        assert_eq!(Like::Py313.gc_config().thresholds, [2000, 10, 10]);
    }
}
