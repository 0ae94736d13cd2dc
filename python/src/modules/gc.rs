//! `gc`: collect, enable/disable/isenabled, get_count, get/set_threshold, get_stats,
//! get_objects, get_referrers, get_referents, is_tracked, is_finalized, freeze/unfreeze/
//! get_freeze_count, garbage, callbacks, set_debug/get_debug and the DEBUG_* flags.
//!
//! ```text
//!   collection (automatic or gc.collect) ── start ──▶ gc.callbacks[i]("start", info)
//!        │ phases (gc crate)                          info = {"generation": g,
//!        ▼                                                    "collected": n, "uncollectable": m}
//!   ── stop ──▶ collector's garbage moved into gc.garbage ─▶ gc.callbacks[i]("stop", info)
//! ```
//! `gc.garbage` and `gc.callbacks` are ordinary Python lists (the interpreter and the heap keep
//! their own references to them, so rebinding `gc.garbage` detaches it, as in CPython).
//! `gc.callbacks` is the heap's list (`Heap::gc_callbacks`): the runtime calls its entries
//! through the call hook, by index with the length checked at every step, so a callback may
//! add or remove callbacks; an error in one is reported as `Exception ignored in: <function
//! ...>` and the next one runs.

use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use pyheap_gc::{GcCallbackInfo, Phase};
use pyheap_runtime::{Heap, Obj};

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module(
        "gc",
        &[
            ("collect", collect),
            ("enable", enable),
            ("disable", disable),
            ("isenabled", isenabled),
            ("get_count", get_count),
            ("get_threshold", get_threshold),
            ("set_threshold", set_threshold),
            ("get_stats", get_stats),
            ("get_objects", get_objects),
            ("get_referrers", get_referrers),
            ("get_referents", get_referents),
            ("is_tracked", is_tracked),
            ("is_finalized", is_finalized),
            ("freeze", freeze),
            ("unfreeze", unfreeze),
            ("get_freeze_count", get_freeze_count),
            ("set_debug", set_debug),
            ("get_debug", get_debug),
        ],
    )?;
    for (n, v) in [
        ("DEBUG_STATS", 1),
        ("DEBUG_COLLECTABLE", 2),
        ("DEBUG_UNCOLLECTABLE", 4),
        ("DEBUG_SAVEALL", 32),
        ("DEBUG_LEAK", 38),
    ] {
        ctx.module_set(&m, n, &ctx.int(v)?)?;
    }
    let garbage = ctx.heap.list(&[])?;
    ctx.module_set(&m, "garbage", &garbage)?;
    *ctx.gc_garbage.borrow_mut() = Some(garbage.into_obj());
    ctx.module_set(&m, "callbacks", &ctx.heap.gc_callbacks()?.into_obj())?;
    ctx.heap.gc().add_heap_callback(on_collection);
    Ok(m)
}

/// How many objects CPython 3.11's free lists hold when a script starts (`python3 -S`, read
/// with `sys._debugmallocstats()` on the script's first line): tuples of length 1..=20, lists,
/// dicts. Start-up code allocated and released them.
const STARTUP_FREE_TUPLES: [usize; 20] =
    [3, 8, 2, 1, 1, 3, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0];
const STARTUP_FREE_LISTS: usize = 5;
const STARTUP_FREE_DICTS: usize = 8;

/// Fill the heap's free lists as CPython's start-up leaves them. An object served from a free
/// list is not counted in `gc.get_count()` (nor is its release to one), so without this the
/// first tuples, lists and dicts a script creates would move the count where CPython's do not
/// (the first `gc.get_count()` result, a 3-tuple, comes from CPython's free list).
pub fn prime_free_lists<'h>(ctx: &Ctx<'h>) -> PyResult<'h, ()> {
    let none = ctx.none();
    let mut made: Vec<Obj<'h>> = vec![];
    for (i, &n) in STARTUP_FREE_TUPLES.iter().enumerate() {
        let items = vec![none.clone(); i + 1];
        for _ in 0..n {
            made.push(ctx.heap.tuple(&items)?.into_obj());
        }
    }
    for _ in 0..STARTUP_FREE_LISTS {
        made.push(ctx.heap.list(&[])?.into_obj());
    }
    for _ in 0..STARTUP_FREE_DICTS {
        made.push(ctx.heap.dict()?.into_obj());
    }
    drop(made);
    Ok(())
}

/// The collector's Rust callback, at the stop of every collection (it runs before the
/// callables of `gc.callbacks`, so they see `gc.garbage` filled).
fn on_collection(heap: &Heap, phase: Phase, _: &GcCallbackInfo) {
    if phase == Phase::Stop {
        crate::vm::hook::with_ctx(heap, move_garbage);
    }
}

/// Append what the collection left in the collector's garbage (DEBUG_SAVEALL, legacy
/// finalizers) to `gc.garbage`, in the collector's order.
fn move_garbage(ctx: &Ctx<'_>) {
    if ctx.heap.gc().garbage_len() == 0 {
        return;
    }
    let list = ctx.gc_garbage.borrow().clone();
    let items = ctx.heap.gc().take_garbage();
    if let Some(list) = list
        && let Ok(list) = list.as_list()
    {
        for o in &items {
            let _ = list.append(o);
        }
    }
}

fn collect<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("collect", 0, 1)?;
    let g = match a.get(0).or(a.kwarg("generation")) {
        Some(g) => g.as_int()?,
        None => 2,
    };
    if !(0..=2).contains(&g) {
        return err(ExcTy::ValueError, "invalid generation");
    }
    ctx.flush();
    match ctx.heap.gc().collect(g) {
        Ok(n) => ctx.int(n as i64),
        Err(e) => err(ExcTy::RuntimeError, e.to_string()),
    }
}

fn enable<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    ctx.heap.gc().enable();
    Ok(ctx.none())
}
fn disable<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    ctx.heap.gc().disable();
    Ok(ctx.none())
}
fn isenabled<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    Ok(ctx.bool(ctx.heap.gc().isenabled()))
}
fn triple<'h>(ctx: &Ctx<'h>, v: [usize; 3]) -> PyResult<'h> {
    let items = v
        .iter()
        .map(|&x| ctx.int(x as i64))
        .collect::<PyResult<'h, Vec<_>>>()?;
    Ok(ctx.heap.tuple(&items)?.into_obj())
}
fn get_count<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    triple(ctx, ctx.heap.gc().get_count())
}
fn get_threshold<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    triple(ctx, ctx.heap.gc().get_threshold())
}
fn set_threshold<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("set_threshold", 1, 3)?;
    // METH_VARARGS in CPython: its arguments come as a tuple (`vm/firstuse.rs`).
    ctx.tuple_call(&a, 0)?;
    let v: Vec<usize> = a
        .pos
        .iter()
        .map(|x| x.as_int().map(|i| i.max(0) as usize))
        .collect::<Result<_, _>>()?;
    ctx.heap
        .gc()
        .set_threshold(v[0], v.get(1).copied(), v.get(2).copied());
    Ok(ctx.none())
}
fn get_stats<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    let mut out = vec![];
    for s in ctx.heap.gc().get_stats() {
        let d = ctx.heap.dict()?;
        d.set(&ctx.intern("collections")?, &ctx.int(s.collections as i64)?)?;
        d.set(&ctx.intern("collected")?, &ctx.int(s.collected as i64)?)?;
        d.set(
            &ctx.intern("uncollectable")?,
            &ctx.int(s.uncollectable as i64)?,
        )?;
        out.push(d.into_obj());
    }
    Ok(ctx.heap.list(&out)?.into_obj())
}
fn list_of<'h>(ctx: &Ctx<'h>, v: Vec<Obj<'h>>) -> PyResult<'h> {
    Ok(ctx.heap.list(&v)?.into_obj())
}
fn get_objects<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let g = a
        .get(0)
        .or(a.kwarg("generation"))
        .filter(|g| !g.is_none())
        .map(|g| g.as_int())
        .transpose()?;
    match ctx.heap.gc().get_objects(g) {
        Ok(v) => list_of(ctx, v),
        Err(e) => err(ExcTy::ValueError, e.to_string()),
    }
}
fn get_referrers<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    ctx.tuple_call(&a, 0)?;
    let objs: Vec<&Obj<'h>> = a.pos.iter().collect();
    list_of(ctx, ctx.heap.gc().get_referrers(&objs))
}
fn get_referents<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    ctx.tuple_call(&a, 0)?;
    let objs: Vec<&Obj<'h>> = a.pos.iter().collect();
    list_of(ctx, ctx.heap.gc().get_referents_of(&objs))
}
fn is_tracked<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("is_tracked", 1, 1)?;
    Ok(ctx.bool(ctx.heap.gc().is_tracked(&a.pos[0])))
}
fn is_finalized<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("is_finalized", 1, 1)?;
    Ok(ctx.bool(ctx.heap.gc().is_finalized(&a.pos[0])))
}
fn freeze<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    ctx.heap.gc().freeze();
    Ok(ctx.none())
}
fn unfreeze<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    ctx.heap.gc().unfreeze();
    Ok(ctx.none())
}
fn get_freeze_count<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    ctx.int(ctx.heap.gc().get_freeze_count() as i64)
}
fn set_debug<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("set_debug", 1, 1)?;
    ctx.heap.gc().set_debug(a.pos[0].as_int()? as u32);
    Ok(ctx.none())
}
fn get_debug<'h>(ctx: &Ctx<'h>, _: Args<'_, 'h>) -> PyResult<'h> {
    ctx.int(ctx.heap.gc().get_debug() as i64)
}
