//! Each misuse stops with a panic whose message names the fault, the block and its size class.

use pyheap_allocator::debug::{CLEANBYTE, DEADBYTE};
use pyheap_allocator::{Classic, Modern, Pymalloc, Tunables};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Run `f`, expect a panic, return its message.
fn panic_message(f: impl FnOnce()) -> String {
    let err = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

fn hooked<T: Tunables>() -> Pymalloc<T> {
    let mut h = Pymalloc::<T>::new();
    h.set_debug_hooks(true).unwrap();
    h
}

#[test]
fn fresh_and_freed_patterns() {
    let mut h = hooked::<Modern>();
    let p = h.alloc(40);
    // SAFETY: p is live with 40 bytes; after the free we only read memory of a pool that stays
    // mapped (the allocator keeps its one arena), which the hooks filled with DEADBYTE.
    unsafe {
        assert!(
            std::slice::from_raw_parts(p.as_ptr(), 40)
                .iter()
                .all(|&b| b == CLEANBYTE)
        );
        h.free(p);
        // The first word of the raw block (16 bytes before p) holds the free-list link; the
        // data bytes are still dead.
        assert!(
            std::slice::from_raw_parts(p.as_ptr(), 40)
                .iter()
                .all(|&b| b == DEADBYTE)
        );
    }
    let z = h.calloc(4, 10);
    // SAFETY: z live, 40 bytes.
    unsafe {
        assert!(
            std::slice::from_raw_parts(z.as_ptr(), 40)
                .iter()
                .all(|&b| b == 0)
        );
        h.free(z);
    }
    h.check_invariants().unwrap();
}

fn double_free_in_empty_pool<T: Tunables>(class: usize) {
    let mut h = hooked::<T>();
    let p = h.alloc(40);
    // SAFETY: the first free is legitimate; the second is the misuse under test.
    let msg = panic_message(|| unsafe {
        h.free(p);
        h.free(p);
    });
    assert!(msg.contains("double free"), "{msg}");
    assert!(msg.contains(&format!("block {:p}", p.as_ptr())), "{msg}");
    assert!(msg.contains(&format!("size class {class} ")), "{msg}");
}

#[test]
fn double_free_modern() {
    // 40 bytes + 24 bytes of hooks = 64 → class 3 (16-byte classes).
    double_free_in_empty_pool::<Modern>(3);
}

#[test]
fn double_free_classic() {
    // 64 → class 7 (8-byte classes).
    double_free_in_empty_pool::<Classic>(7);
}

#[test]
fn double_free_found_on_the_free_list() {
    let mut h = hooked::<Modern>();
    let keep = h.alloc(100);
    let p = h.alloc(100);
    let other = h.alloc(100);
    // SAFETY: one legitimate free of p, then the misuse.
    let msg = panic_message(|| unsafe {
        h.free(p);
        h.free(other);
        h.free(p);
    });
    assert!(
        msg.contains("double free") && msg.contains("size class 7 (128-byte blocks)"),
        "{msg}"
    );
    // SAFETY: keep is still live; the allocator is consistent after the report.
    unsafe { h.free(keep) };
    h.check_invariants().unwrap();
}

#[test]
fn foreign_pointer_with_hooks() {
    let mut h = hooked::<Modern>();
    let _p = h.alloc(8);
    let mut local = [0u64; 4];
    let foreign = std::ptr::NonNull::new(local.as_mut_ptr().cast::<u8>()).unwrap();
    // SAFETY: the misuse under test; the hooks detect it without touching the pointer.
    let msg = panic_message(|| unsafe { h.free(foreign) });
    assert!(msg.contains("foreign pointer"), "{msg}");
    assert!(
        msg.contains(&format!("block {:p}", foreign.as_ptr())),
        "{msg}"
    );
    assert!(msg.contains("size class: none"), "{msg}");
}

#[test]
fn interior_pointer_with_hooks() {
    let mut h = hooked::<Modern>();
    let p = h.alloc(64);
    // SAFETY: the misuse under test (p + 16 is not a block the hooks handed out).
    let msg = panic_message(|| unsafe { h.free(p.add(16)) });
    assert!(
        msg.contains("foreign pointer (not at the start of a block)"),
        "{msg}"
    );
    assert!(msg.contains("size class 5 (96-byte blocks)"), "{msg}");
}

#[test]
fn overrun_detected() {
    let mut h = hooked::<Modern>();
    let p = h.alloc(40);
    // SAFETY: writing one byte past the 40 requested bytes stays inside the raw block (guard).
    let msg = panic_message(|| unsafe {
        *p.as_ptr().add(40) = 0;
        h.free(p);
    });
    assert!(
        msg.contains("guard bytes overwritten after the block (buffer overrun)"),
        "{msg}"
    );
    assert!(msg.contains(&format!(
        "block {:p}, size class 3 (64-byte blocks)",
        p.as_ptr()
    )));
}

#[test]
fn underrun_detected() {
    let mut h = hooked::<Classic>();
    let p = h.alloc(10);
    // SAFETY: the byte before p is the last leading guard byte of the raw block.
    let msg = panic_message(|| unsafe {
        *p.as_ptr().sub(1) = 0;
        h.free(p);
    });
    assert!(
        msg.contains("guard bytes overwritten before the block"),
        "{msg}"
    );
    assert!(msg.contains("size class 4 (40-byte blocks)"), "{msg}");
}

#[test]
fn large_block_overrun_detected() {
    let mut h = hooked::<Modern>();
    let p = h.alloc(1000);
    // SAFETY: one byte past the data is the trailing guard of the large raw block.
    let msg = panic_message(|| unsafe {
        *p.as_ptr().add(1000) = 0xFF;
        h.free(p);
    });
    assert!(msg.contains("buffer overrun"), "{msg}");
    assert!(msg.contains("size class: none (large block"), "{msg}");
}

#[test]
fn realloc_checks_too() {
    let mut h = hooked::<Modern>();
    let p = h.alloc(20);
    // SAFETY: overrun then realloc: the misuse under test.
    let msg = panic_message(|| unsafe {
        *p.as_ptr().add(21) = 0;
        let _ = h.realloc(p, 30);
    });
    assert!(msg.contains("buffer overrun"), "{msg}");
}

#[test]
fn foreign_pointer_without_hooks() {
    let mut h: Pymalloc = Pymalloc::new();
    let _p = h.alloc(8);
    let b = Box::new([7u8; 80]);
    let raw = Box::into_raw(b);
    // 16 bytes into the box: the cookie check reads the 16 bytes before the pointer, and those
    // must belong to the same allocation (reading malloc's chunk header in front of the box
    // would be an out-of-bounds read; AddressSanitizer reports it as a heap-buffer-overflow).
    // SAFETY: 16 < 80, inside the box.
    let foreign = std::ptr::NonNull::new(unsafe { raw.cast::<u8>().add(16) }).unwrap();
    // SAFETY: the misuse under test. A pointer outside our arenas is taken for a large block, and
    // the header cookie check (which reads the 16 bytes before it, readable here) rejects it.
    let msg = panic_message(|| unsafe { h.free(foreign) });
    assert!(msg.contains("foreign pointer freed"), "{msg}");
    assert!(
        msg.contains(&format!("block {:p}", foreign.as_ptr())),
        "{msg}"
    );
    assert!(msg.contains("size class: none"), "{msg}");
    // SAFETY: raw came from Box::into_raw and was not freed.
    drop(unsafe { Box::from_raw(raw) });
}

#[cfg(debug_assertions)]
#[test]
fn interior_pointer_without_hooks_in_debug_builds() {
    let mut h: Pymalloc = Pymalloc::new();
    let p = h.alloc(64);
    // SAFETY: the misuse under test (arena lookup says "ours", the block check says no).
    let msg = panic_message(|| unsafe { h.free(p.add(8)) });
    assert!(msg.contains("foreign pointer freed") && msg.contains("not at the start of a block"));
}

#[test]
#[should_panic(expected = "pymalloc: out of memory")]
fn alloc_panics_on_oom() {
    let mut h: Pymalloc = Pymalloc::new();
    h.fail_os_requests_after(Some(0));
    h.alloc(32);
}
