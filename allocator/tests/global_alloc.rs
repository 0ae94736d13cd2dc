//! A whole test program running on pymalloc: `PymallocGlobal` is this binary's
//! `#[global_allocator]`, so the test harness, std collections, strings, formatting and threads
//! all allocate through it (the tests below also run concurrently with each other).

use pyheap_allocator::PymallocGlobal;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

#[global_allocator]
static GLOBAL: PymallocGlobal = PymallocGlobal::new();

#[test]
fn collections_and_strings() {
    let before = GLOBAL.blocks_in_use();
    let mut map: HashMap<String, Vec<u32>> = HashMap::new();
    let mut tree = BTreeMap::new();
    let mut q = VecDeque::new();
    for i in 0..20_000u32 {
        let k = format!("key-{i}");
        map.entry(k.clone()).or_default().push(i);
        tree.insert(i, k.repeat(1 + (i % 7) as usize));
        q.push_back(Box::new(i));
        if q.len() > 100 {
            q.pop_front();
        }
    }
    // Other tests run concurrently, so the global count can move either way; check ownership.
    let _ = before;
    let boxed = Box::new(5u64);
    assert!(
        GLOBAL.owns(std::ptr::from_ref(&*boxed).cast()),
        "small allocations go to pools"
    );
    assert!(GLOBAL.blocks_in_use() > 0);
    assert_eq!(map.len(), 20_000);
    assert_eq!(map["key-1234"], vec![1234]);
    assert_eq!(tree[&7].len(), "key-7".len());
    let joined: String = tree.values().take(3).map(String::as_str).collect();
    assert_eq!(joined, "key-0key-1key-1key-2key-2key-2");
    // Growing strings cross the 512-byte boundary both ways (pool → System → pool via realloc).
    let mut s = String::new();
    for i in 0..2000 {
        s.push_str(&i.to_string());
    }
    s.truncate(10);
    s.shrink_to_fit();
    assert_eq!(s, "0123456789");
    GLOBAL.check_invariants().unwrap();
}

#[test]
fn threads_share_the_allocator() {
    let shared = Arc::new(std::sync::Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                let mut local: Vec<Vec<u64>> = Vec::new();
                for i in 0..20_000u64 {
                    local.push(vec![i ^ t; (i % 60) as usize + 1]);
                    if i % 3 == 0 {
                        local.swap_remove((i as usize * 7) % local.len());
                    }
                }
                let sum: u64 = local.iter().map(|v| v[0]).sum();
                // Hand some blocks to another thread to free.
                shared.lock().unwrap().extend(local.drain(..100));
                sum
            })
        })
        .collect();
    let sums: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(sums.len(), 8);
    assert_eq!(shared.lock().unwrap().len(), 800);
    shared.lock().unwrap().clear();
    GLOBAL.check_invariants().unwrap();
}

#[test]
fn allocator_api2_vec_on_the_global_instance() {
    let mut v = allocator_api2::vec::Vec::new_in(&GLOBAL);
    for i in 0..100u16 {
        v.push(i);
    }
    assert_eq!(v.iter().map(|&x| u32::from(x)).sum::<u32>(), 4950);
    let zst: allocator_api2::vec::Vec<(), _> =
        allocator_api2::vec::Vec::with_capacity_in(10, &GLOBAL);
    assert_eq!(zst.len(), 0);
}

#[test]
fn over_aligned_and_large_requests_go_to_system() {
    #[repr(align(64))]
    struct Wide([u8; 64]);
    let w = Box::new(Wide([3; 64]));
    assert_eq!(std::ptr::from_ref(&*w).addr() % 64, 0);
    assert_eq!(w.0[63], 3);
    let big = vec![1u8; 1 << 20];
    assert!(!GLOBAL.owns(big.as_ptr()), "large allocations go to System");
    assert!(
        !GLOBAL.owns(std::ptr::from_ref(&*w).cast()),
        "over-aligned ones too"
    );
    assert_eq!(big.iter().map(|&b| b as usize).sum::<usize>(), 1 << 20);
    let stats = GLOBAL.stats();
    assert!(stats.arenas_current >= 1);
    assert_eq!(stats.total, stats.arenas_current * stats.arena_size);
}
