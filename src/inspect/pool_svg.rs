//! The pool drill-down (`pyheap map --pool A:P`): one pool's header fields and every block, as
//! text and as an SVG picture. The occupancy map ([`super::arena_svg`]) shows one cell per pool;
//! this opens a cell.
//!
//! ```text
//!  pool 0 of arena 3 · 64 B blocks (szidx 3) · on usedpools[3], position 0 of 2
//!  ┌ header 48 B ──────────────────────────────────────────────────────────────────┐
//!  │ ref.count 2 │ freeblock → blk 3 │ nextpool prevpool │ arenaindex 3 │ szidx 3 │
//!  │ nextoffset 368 = 48 + 5×64 │ maxnextoffset 16320 = 16384 − 64                  │
//!  └───────────────────────────────────────────────────────────────────────────────┘
//!   ┌──┐┌──┐┌──┐┌──┐┌──┐┌┄┄┐┌┄┄┐┌┄┄┐ …      █ in use   ① free, n-th on the free list
//!   │██││②││██││①││③│┆  ┆┆  ┆┆  ┆           ┄ never carved (at or past nextoffset)
//!   └──┘└─▲┘└──┘└─┬┘└▲─┘└┄┄┘                  arrows: the free list, freeblock first
//!         └───────┘  └── … next link
//! ```
//!
//! Why the picture looks like this: a pool hands out blocks in two ways. First from its free
//! list (a LIFO stack threaded through the first word of each freed block: the block freed last
//! is handed out first), and only when that list is empty does it carve the next virgin block at
//! `nextoffset`, moving `nextoffset` up by one block. So a fresh pool fills left to right, and a
//! pool that has seen frees hands out holes in the reverse order they were made. `maxnextoffset`
//! is the offset of the last block that fits; past it the pool is full once its free list is
//! empty. Each free-list block is numbered by its position on the list (1 = `freeblock`, drawn
//! thick); an arrow marks each of the first [`MAX_ARROWS`] links that jumps to a block other
//! than a neighbour (links between neighbours are implied by the numbers, and drawing them hid
//! the numbers when first rendered).
//!
//! The SVG is self-contained (generic `monospace` font, no external reference); every block is a
//! `<rect>` with `data-block`, `data-state` (`used`, `free`, `virgin`) and, for free blocks,
//! `data-free-pos`, which the tests read.

use super::arena_svg::{MapGeometry, escape, human_bytes, size_colour};
use crate::allocator::{BlockState, PoolList, PoolView};
use std::fmt::Write as _;

/// Free-list links drawn as arrows (the numbers in the cells go on for the whole list).
pub const MAX_ARROWS: usize = 64;

const MARGIN: usize = 16;
const CELL: usize = 22;
const GAP: usize = 3;
const HEADER_H: usize = 92;
const LEGEND_H: usize = 40;

/// Blocks per row of the picture.
fn columns(n: usize) -> usize {
    match n {
        0..=64 => 16,
        65..=512 => 32,
        _ => 48,
    }
}

/// The list the pool is on, in words.
pub fn list_text(v: &PoolView) -> String {
    match v.list {
        PoolList::UsedRing { position, len } => format!(
            "on the usedpools[{}] ring ({} B), position {position} of {len}{}",
            v.szidx.unwrap_or(0),
            v.block_size,
            if position == 0 {
                ": the next allocation of this size comes from this pool"
            } else {
                ""
            }
        ),
        PoolList::Full => "full: on no list (a free into it links it at the front of its \
                           usedpools ring)"
            .to_string(),
        PoolList::FreePools { position } => format!(
            "empty: on its arena's freepools list, position {position}{}",
            if v.szidx.is_some() {
                " (it keeps its size class and free list; reuse for the same size skips re-initialising)"
            } else {
                ""
            }
        ),
        PoolList::NeverCarved => {
            "never carved: above the arena's pool_address, no header yet".to_string()
        }
    }
}

/// Counts of a pool's blocks: (in use, on the free list, never carved).
pub fn block_counts(v: &PoolView) -> (usize, usize, usize) {
    let used = v.blocks.iter().filter(|b| **b == BlockState::InUse).count();
    let virgin = v
        .blocks
        .iter()
        .filter(|b| **b == BlockState::Virgin)
        .count();
    (used, v.free_list.len(), virgin)
}

/// The free list as `3 → 1 → 4 → NULL` (the first `max` links, then `… (N more)`).
fn free_list_text(v: &PoolView, max: usize) -> String {
    let mut parts: Vec<String> = v
        .free_list
        .iter()
        .take(max)
        .map(|k| format!("blk {k}"))
        .collect();
    if v.free_list.len() > max {
        parts.push(format!("… ({} more)", v.free_list.len() - max));
    }
    parts.push("NULL".into());
    parts.join(" → ")
}

/// The drill-down as text: header fields, one line each with what they mean, then the blocks
/// as a strip (`#` in use, `o` on the free list, `.` never carved), 64 to a line.
pub fn pool_text(g: &MapGeometry, v: &PoolView) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "pool {} of arena {} · {} layout: {} pools, {} B header (struct pool_header) · address {:#x}",
        v.pool,
        v.arena,
        g.layout,
        human_bytes(g.pool_size),
        v.overhead,
        v.address
    );
    let _ = writeln!(o, "  state: {}", list_text(v));
    if matches!(v.list, PoolList::NeverCarved) {
        return o;
    }
    let Some(szidx) = v.szidx else {
        let _ = writeln!(
            o,
            "  header: ref.count {}, szidx DUMMY_SIZE_IDX (carved, never given a size class)",
            v.count
        );
        return o;
    };
    let (used, free, virgin) = block_counts(v);
    let size = v.block_size;
    let first_virgin = (v.nextoffset.saturating_sub(v.overhead)) / size.max(1);
    let _ = writeln!(o, "  header fields:");
    let _ = writeln!(
        o,
        "    ref.count      {:>6}   blocks handed out and not freed",
        v.count
    );
    let _ = writeln!(
        o,
        "    freeblock      {:>6}   head of the free list: {}",
        v.free_list
            .first()
            .map_or("NULL".to_string(), |k| format!("blk {k}")),
        free_list_text(v, 16)
    );
    let _ = writeln!(
        o,
        "    nextpool/prevpool        {}",
        match v.list {
            PoolList::UsedRing { .. } => "links of the usedpools ring",
            PoolList::FreePools { .. } => "nextpool: the next pool on freepools",
            _ => "stale (on no list)",
        }
    );
    let _ = writeln!(o, "    arenaindex     {:>6}", v.arena);
    let _ = writeln!(
        o,
        "    szidx          {szidx:>6}   size class: {size} B blocks, {} per pool",
        v.blocks.len()
    );
    let _ = writeln!(
        o,
        "    nextoffset     {:>6}   = {} + {first_virgin} × {size}: {}",
        v.nextoffset,
        v.overhead,
        if v.nextoffset > v.maxnextoffset {
            "past maxnextoffset, every block has been carved".to_string()
        } else {
            format!("blk {first_virgin} is the next block carved")
        }
    );
    let _ = writeln!(
        o,
        "    maxnextoffset  {:>6}   = {} − {size}: the offset of the last block that fits",
        v.maxnextoffset, g.pool_size
    );
    let _ = writeln!(
        o,
        "  blocks: {used} in use + {free} on the free list + {virgin} never carved = {} \
         (# in use, o free-listed, . never carved)",
        v.blocks.len()
    );
    for (r, chunk) in v.blocks.chunks(64).enumerate() {
        let strip: String = chunk
            .iter()
            .map(|b| match b {
                BlockState::InUse => '#',
                BlockState::Free(_) => 'o',
                BlockState::Virgin => '.',
            })
            .collect();
        let _ = writeln!(o, "    {:>4} {strip}", r * 64);
    }
    o
}

/// The drill-down as an SVG document.
pub fn pool_svg(g: &MapGeometry, v: &PoolView) -> String {
    let n = v.blocks.len();
    let cols = columns(n);
    let rows = n.div_ceil(cols).max(1);
    let grid_w = cols * (CELL + GAP);
    let width = (2 * MARGIN + grid_w).max(900);
    let grid_top = MARGIN + HEADER_H + 24;
    let height = grid_top + rows * (CELL + GAP) + LEGEND_H + MARGIN;
    let mut o = String::new();
    let _ = writeln!(o, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="monospace" font-size="12" data-arena="{}" data-pool="{}" data-blocks="{n}">"#,
        v.arena, v.pool
    );
    let title = format!(
        "pool {} of arena {} · {} layout · {} pool{}",
        v.pool,
        v.arena,
        g.layout,
        human_bytes(g.pool_size),
        match v.szidx {
            Some(i) => format!(" · {} B blocks (szidx {i})", v.block_size),
            None => String::new(),
        }
    );
    let _ = writeln!(o, "<title>{}</title>", escape(&title));
    let _ = writeln!(
        o,
        r##"<defs><marker id="fl" markerWidth="6" markerHeight="6" refX="5" refY="3" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#c0392b"/></marker></defs>"##
    );
    let _ = writeln!(
        o,
        r#"<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>"#
    );
    let _ = writeln!(
        o,
        r#"<text x="{MARGIN}" y="{}" font-size="14" font-weight="bold">{}</text>"#,
        MARGIN + 14,
        escape(&title)
    );
    let _ = writeln!(
        o,
        r##"<text class="state" x="{MARGIN}" y="{}" fill="#333">{}</text>"##,
        MARGIN + 32,
        escape(&list_text(v))
    );
    // The header box: the fields in two lines.
    let hy = MARGIN + 42;
    let _ = writeln!(
        o,
        r##"<rect class="header" x="{MARGIN}" y="{hy}" width="{}" height="{}" fill="#f4f4f4" stroke="#888"/>"##,
        width - 2 * MARGIN,
        HEADER_H - 30
    );
    let (l1, l2) = match v.szidx {
        Some(szidx) => {
            let first_virgin = v.nextoffset.saturating_sub(v.overhead) / v.block_size.max(1);
            (
                format!(
                    "header {} B │ ref.count {} │ freeblock → {} │ arenaindex {} │ szidx {szidx} ({} B)",
                    v.overhead,
                    v.count,
                    v.free_list
                        .first()
                        .map_or("NULL".to_string(), |k| format!("blk {k}")),
                    v.arena,
                    v.block_size
                ),
                format!(
                    "nextoffset {} = {} + {first_virgin}×{} ({}) │ maxnextoffset {} = {} − {}",
                    v.nextoffset,
                    v.overhead,
                    v.block_size,
                    if v.nextoffset > v.maxnextoffset {
                        "past maxnextoffset: all carved".to_string()
                    } else {
                        format!("next carved: blk {first_virgin}")
                    },
                    v.maxnextoffset,
                    g.pool_size,
                    v.block_size
                ),
            )
        }
        None => (
            format!(
                "header {} B │ ref.count {} │ szidx: none",
                v.overhead, v.count
            ),
            "no blocks: the pool has not been given a size class".to_string(),
        ),
    };
    for (i, l) in [l1, l2].iter().enumerate() {
        let _ = writeln!(
            o,
            r#"<text class="field" x="{}" y="{}">{}</text>"#,
            MARGIN + 8,
            hy + 20 + i * 20,
            escape(l)
        );
    }
    let (used, free, virgin) = block_counts(v);
    let _ = writeln!(
        o,
        r##"<text class="counts" x="{MARGIN}" y="{}" fill="#333">{}</text>"##,
        grid_top - 8,
        escape(&format!(
            "{n} blocks: {used} in use + {free} on the free list + {virgin} never carved (block 0 at offset {}, address order →)",
            v.overhead
        ))
    );
    let colour = size_colour(v.block_size);
    let centre = |k: usize| {
        let (r, c) = (k / cols, k % cols);
        (
            MARGIN + c * (CELL + GAP) + CELL / 2,
            grid_top + r * (CELL + GAP) + CELL / 2,
        )
    };
    for (k, b) in v.blocks.iter().enumerate() {
        let (cx, cy) = centre(k);
        let (x, y) = (cx - CELL / 2, cy - CELL / 2);
        let off = v.overhead + k * v.block_size;
        match b {
            BlockState::InUse => {
                let _ = writeln!(
                    o,
                    r##"<rect data-block="{k}" data-state="used" x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{colour}" stroke="#333"><title>blk {k} at offset {off}: in use</title></rect>"##
                );
            }
            BlockState::Free(pos) => {
                let (width, head) = if *pos == 0 {
                    ("3", " (freeblock: the next block handed out)")
                } else {
                    ("1.5", "")
                };
                let _ = writeln!(
                    o,
                    r##"<rect data-block="{k}" data-state="free" data-free-pos="{pos}" x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="white" stroke="#c0392b" stroke-width="{width}"><title>blk {k} at offset {off}: free, number {} on the free list{head}</title></rect>"##,
                    pos + 1
                );
                let _ = writeln!(
                    o,
                    r##"<text x="{cx}" y="{}" font-size="9" text-anchor="middle" fill="#c0392b">{}</text>"##,
                    cy + 3,
                    pos + 1
                );
            }
            BlockState::Virgin => {
                let _ = writeln!(
                    o,
                    r##"<rect data-block="{k}" data-state="virgin" x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="none" stroke="#aaa" stroke-dasharray="3,2"><title>blk {k} at offset {off}: never carved</title></rect>"##
                );
            }
        }
    }
    // The free list, freeblock first: an arrow for each link that jumps (a link to the next or
    // previous block is implied by the numbers), drawn for the first MAX_ARROWS links.
    for w in v.free_list.windows(2).take(MAX_ARROWS) {
        if w[0].abs_diff(w[1]) == 1 {
            continue;
        }
        let ((x1, y1), (x2, y2)) = (centre(w[0]), centre(w[1]));
        // A curve bowing above the cells, so it crosses the in-use cells it jumps over.
        let (mx, my) = ((x1 + x2) / 2, y1.min(y2).saturating_sub(CELL + CELL / 2));
        let _ = writeln!(
            o,
            r##"<path class="link" d="M{x1},{} Q{mx},{my} {x2},{}" fill="none" stroke="#c0392b" stroke-opacity="0.7" marker-end="url(#fl)"/>"##,
            y1 - CELL / 2,
            y2 - CELL / 2
        );
    }
    // Legend.
    let ly = grid_top + rows * (CELL + GAP) + 16;
    let _ = writeln!(
        o,
        r##"<rect x="{MARGIN}" y="{}" width="12" height="12" fill="{colour}" stroke="#333"/><text x="{}" y="{ly}">in use</text>"##,
        ly - 10,
        MARGIN + 16
    );
    let _ = writeln!(
        o,
        r##"<rect x="{}" y="{}" width="12" height="12" fill="white" stroke="#c0392b"/><text x="{}" y="{ly}">free: its number on the free list (1 = freeblock, thick; arrows: links that jump)</text>"##,
        MARGIN + 90,
        ly - 10,
        MARGIN + 106
    );
    let _ = writeln!(
        o,
        r##"<rect x="{}" y="{}" width="12" height="12" fill="none" stroke="#aaa" stroke-dasharray="3,2"/><text x="{}" y="{}">never carved (carved at nextoffset when the free list is empty)</text>"##,
        MARGIN,
        ly + 8,
        MARGIN + 16,
        ly + 18
    );
    let _ = writeln!(o, "</svg>");
    o
}
