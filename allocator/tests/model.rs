//! Property test: random alloc/free/realloc/calloc sequences against a model (the list of live
//! blocks with their sizes and fill bytes). After every step: `check_invariants()`, the counters
//! agree with the model, no two live blocks overlap, and the blocks touched keep their bytes (all
//! blocks are verified every 16 steps and at the end). Runs for both layouts and with debug hooks.

use proptest::prelude::*;
use pyheap_allocator::{Classic, Modern, Pymalloc, Tunables};
use std::ptr::NonNull;

#[derive(Debug, Clone)]
enum Op {
    Alloc(usize),
    Calloc(usize),
    Free(usize),
    Realloc(usize, usize),
    /// Allocate many blocks of one size (spans pools and arenas).
    Burst(usize, usize),
    /// Free every other live block (arenas move in usable_arenas, some go back to the OS).
    FreeEveryOther,
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![8 => 1usize..=512, 1 => 0usize..=3000, 1 => Just(0usize)]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => size().prop_map(Op::Alloc),
        1 => size().prop_map(Op::Calloc),
        5 => any::<usize>().prop_map(Op::Free),
        3 => (any::<usize>(), size()).prop_map(|(i, s)| Op::Realloc(i, s)),
        1 => (1usize..2500, 1usize..=512).prop_map(|(n, s)| Op::Burst(n, s)),
        1 => Just(Op::FreeEveryOther),
    ]
}

struct Live {
    p: NonNull<u8>,
    size: usize,
    fill: u8,
}

fn fill(b: &Live) {
    // SAFETY: b.p is a live block of b.size bytes.
    unsafe { b.p.as_ptr().write_bytes(b.fill, b.size) };
}

fn intact(b: &Live) -> bool {
    // SAFETY: b.p is a live block of b.size bytes.
    unsafe { std::slice::from_raw_parts(b.p.as_ptr(), b.size) }
        .iter()
        .all(|&x| x == b.fill)
}

fn run<T: Tunables>(ops: Vec<Op>, hooks: bool) -> Result<(), TestCaseError> {
    let mut h = Pymalloc::<T>::new();
    h.set_debug_hooks(hooks).unwrap();
    let mut live: Vec<Live> = Vec::new();
    let mut counter = 0u8;
    let mut next_fill = || {
        counter = counter.wrapping_add(1);
        counter
    };
    for (step, op) in ops.into_iter().enumerate() {
        let mut touched: Vec<usize> = Vec::new();
        match op {
            Op::Alloc(n) => {
                let b = Live {
                    p: h.alloc(n),
                    size: n,
                    fill: next_fill(),
                };
                fill(&b);
                live.push(b);
                touched.push(live.len() - 1);
            }
            Op::Calloc(n) => {
                let p = h.calloc(1, n);
                let b = Live {
                    p,
                    size: n,
                    fill: 0,
                };
                prop_assert!(intact(&b), "calloc block not zeroed");
                live.push(b);
            }
            Op::Free(i) if !live.is_empty() => {
                let b = live.swap_remove(i % live.len());
                prop_assert!(intact(&b));
                // SAFETY: b is live and removed from the model.
                unsafe { h.free(b.p) };
            }
            Op::Realloc(i, n) if !live.is_empty() => {
                let i = i % live.len();
                let old = live[i].size;
                // SAFETY: live[i] is live; on success we replace it in the model.
                let p = unsafe { h.realloc(live[i].p, n) }.unwrap();
                live[i].p = p;
                live[i].size = old.min(n);
                prop_assert!(intact(&live[i]), "realloc lost bytes");
                live[i].size = n;
                live[i].fill = next_fill();
                fill(&live[i]);
                touched.push(i);
            }
            Op::Burst(k, n) => {
                let f = next_fill();
                for _ in 0..k {
                    let b = Live {
                        p: h.alloc(n),
                        size: n,
                        fill: f,
                    };
                    fill(&b);
                    live.push(b);
                }
            }
            Op::FreeEveryOther => {
                let mut keep = Vec::new();
                for (j, b) in live.drain(..).enumerate() {
                    if j % 2 == 0 {
                        prop_assert!(intact(&b));
                        // SAFETY: b is live and dropped from the model.
                        unsafe { h.free(b.p) };
                    } else {
                        keep.push(b);
                    }
                }
                live = keep;
            }
            _ => {}
        }
        if let Err(e) = h.check_invariants() {
            return Err(TestCaseError::fail(format!("step {step}: {e}")));
        }
        if !hooks {
            let small = live.iter().filter(|b| (1..=512).contains(&b.size)).count();
            prop_assert_eq!(h.blocks_in_use(), small);
            prop_assert_eq!(h.large_in_use(), live.len() - small);
        } else {
            prop_assert_eq!(h.blocks_in_use() + h.large_in_use(), live.len());
        }
        for &i in &touched {
            prop_assert!(intact(&live[i]));
        }
        if step % 16 == 0 {
            prop_assert!(live.iter().all(intact), "a live block was overwritten");
            let mut spans: Vec<(usize, usize)> = live
                .iter()
                .map(|b| (b.p.addr().get(), b.size.max(1)))
                .collect();
            spans.sort_unstable();
            for w in spans.windows(2) {
                prop_assert!(w[0].0 + w[0].1 <= w[1].0, "overlapping blocks");
            }
        }
    }
    prop_assert!(live.iter().all(intact));
    for b in live {
        // SAFETY: live, freed once.
        unsafe { h.free(b.p) };
    }
    prop_assert_eq!(h.blocks_in_use() + h.large_in_use(), 0);
    prop_assert!(h.arenas_current() <= 1, "all arenas but one returned");
    h.check_invariants()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn model_modern(ops in prop::collection::vec(op(), 1..250)) {
        run::<Modern>(ops, false)?;
    }

    #[test]
    fn model_classic(ops in prop::collection::vec(op(), 1..250)) {
        run::<Classic>(ops, false)?;
    }

    #[test]
    fn model_modern_debug_hooks(ops in prop::collection::vec(op(), 1..200)) {
        run::<Modern>(ops, true)?;
    }

    #[test]
    fn model_classic_debug_hooks(ops in prop::collection::vec(op(), 1..120)) {
        run::<Classic>(ops, true)?;
    }
}
