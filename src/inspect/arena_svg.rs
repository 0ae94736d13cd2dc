//! The arena occupancy map: pymalloc's arenas and pools as one SVG picture.
//!
//! What it shows, and why: pymalloc returns memory to the OS only a whole arena at a time, and
//! an arena goes back only when every one of its pools is empty. One live block can pin a whole
//! arena (1 MiB in the modern layout). The map makes that visible: each arena is a row, each
//! pool a cell, coloured by the block size it serves and filled from the bottom in proportion to
//! its blocks in use. Rows come in `usable_arenas` order — ascending `nfreepools`, the most used
//! arena first, which is where the next new pool is taken from — drawn as the doubly linked list
//! it is (head pointer, `nextarena`/`prevarena` arrows, `nfp2lasta[n]` markers on the rightmost
//! arena of each count), followed by the arenas with no free pool (on no list; their blocks may
//! still be mostly free, so they are not called "full"), then ghost rows for arenas returned to
//! the OS.
//!
//! ```text
//!  pymalloc arena occupancy · modern layout · 1 MiB arenas = 64 pools × 16 KiB · 32 size classes
//!  3 arenas: 2 on usable_arenas, 1 with no free pool, 1 returned · 70 pools in use · 58 free
//!
//!  usable_arenas                   pool 0                                 pool 63
//!    └─▶●──▶ arena 2  nfree  5   ┌█┐┌▆┐┌▂┐┌█┐┌▄┐ ... ┌┄┐┌┄┐   ◀ nfp2lasta[5]
//!  next↓ ↑prev
//!       ●──▶ arena 0  empty, kept ┌ ┐┌ ┐┌┄┐┌┄┐┌┄┐ ... ┌┄┐┌┄┐   ◀ nfp2lasta[64]
//!            ── arenas with no free pool (on no list) ──
//!            arena 1  no free pool ┌█┐┌█┐┌▁┐┌█┐┌█┐ ... ┌█┐┌█┐
//!            ── returned to the OS ──
//!            arena 3  returned    ┌┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┐
//!
//!  legend: ■ 16 B  ■ 32 B  ...   █ full  ▁ a few blocks  □ empty  ┄ never carved
//! ```
//!
//! A cell of a pool in use is a light box in its size's colour with a solid bar whose height is
//! `blocks_in_use / capacity` of the cell, at least [`MIN_FILL`] pixels, and the count printed
//! in the cell. An empty pool (carved before, on the arena's `freepools` list) is a white cell
//! with a grey outline; a never-carved pool has a dashed one. The kept empty arena (3.8+,
//! bpo-37257: a wholly free arena that is the last of `usable_arenas` is not returned) is
//! labelled "empty, kept". Every cell carries a `<title>` tooltip with its exact numbers, and
//! `data-*` attributes that tests, scripts and the trace page read.
//!
//! The SVG is hand-written XML: self-contained, no external fonts or styles (text uses the
//! generic `monospace` family), every text escaped. Colours are keyed by block size (hues spread
//! over the 8-byte steps by the golden angle, three lightness levels), so a size has the same
//! colour in every map, modern or classic.

use crate::allocator::{ArenaSnapshot, PoolSnapshot, Pymalloc, Tunables};
use std::fmt::Write as _;

/// The layout facts the map's title and legend need (a value, so the renderer is not generic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapGeometry {
    /// `"modern"` or `"classic"`.
    pub layout: &'static str,
    /// Block alignment, in bytes.
    pub alignment: usize,
    /// Pool size, in bytes.
    pub pool_size: usize,
    /// Arena size, in bytes.
    pub arena_size: usize,
    /// Pools in one arena.
    pub pools_per_arena: usize,
    /// Number of size classes.
    pub size_classes: usize,
}

impl MapGeometry {
    /// The geometry of layout `T`.
    pub fn of<T: Tunables>() -> Self {
        MapGeometry {
            layout: T::NAME,
            alignment: T::ALIGNMENT,
            pool_size: T::POOL_SIZE,
            arena_size: T::ARENA_SIZE,
            pools_per_arena: T::MAX_POOLS_IN_ARENA,
            size_classes: T::NB_SMALL_SIZE_CLASSES,
        }
    }

    /// The geometry a heap's allocator reports (so a picture follows whatever layout the heap
    /// was built with).
    pub fn of_stats(s: &crate::allocator::Stats) -> Self {
        MapGeometry {
            layout: if s.layout == "classic" {
                "classic"
            } else {
                "modern"
            },
            alignment: s.alignment,
            pool_size: s.pool_size,
            arena_size: s.arena_size,
            pools_per_arena: s.arena_size / s.pool_size.max(1),
            size_classes: s.size_classes,
        }
    }
}

/// Pool and arena tallies of a snapshot (what the CLI and the examples print beside the map).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolCounts {
    /// Arenas in the snapshot.
    pub arenas: usize,
    /// Arenas on `usable_arenas` (at least one free pool).
    pub usable_arenas: usize,
    /// Arenas with no free pool.
    pub full_arenas: usize,
    /// Pools with every block in use.
    pub full_pools: usize,
    /// Pools with some blocks in use and some free.
    pub used_pools: usize,
    /// Pools with no block in use (empty or never carved).
    pub free_pools: usize,
}

impl PoolCounts {
    /// Count the pools of `arenas` by state.
    pub fn of(arenas: &[ArenaSnapshot]) -> Self {
        let mut c = PoolCounts {
            arenas: arenas.len(),
            ..PoolCounts::default()
        };
        for a in arenas {
            if a.usable {
                c.usable_arenas += 1;
            } else {
                c.full_arenas += 1;
            }
            for p in &a.pools {
                match p.size_class {
                    None => c.free_pools += 1,
                    Some(_) if p.blocks_in_use == p.capacity => c.full_pools += 1,
                    Some(_) => c.used_pools += 1,
                }
            }
        }
        c
    }

    /// Total pools across all arenas (= cells in the map).
    pub fn total_pools(&self) -> usize {
        self.full_pools + self.used_pools + self.free_pools
    }
}

/// The occupancy map of `heap`, as an SVG document.
pub fn arena_occupancy_svg<T: Tunables>(heap: &Pymalloc<T>) -> String {
    render(&MapGeometry::of::<T>(), &heap.arena_snapshots())
}

// Geometry of the picture, in SVG user units (pixels).
const MARGIN: usize = 16;
/// The column left of the labels where the `usable_arenas` list is drawn.
const LIST_W: usize = 96;
const LABEL_W: usize = 200;
const CELL_W: usize = 16;
const CELL_H: usize = 22;
const GAP: usize = 2;
const ROW_H: usize = CELL_H + 8;
/// The column right of the grid for `nfp2lasta` markers.
const NFP_W: usize = 130;
const TITLE_H: usize = 48;
const LEGEND_ROW_H: usize = 18;
const LEGEND_ITEM_W: usize = 150;
/// A pool with at least one block in use gets a bar of at least this many pixels (of
/// `CELL_H`), so a pool holding a few blocks never looks empty; the cell also prints its count.
pub const MIN_FILL: usize = 4;

/// Fill colour of blocks of `block_size` bytes: hues spread by the golden angle over the
/// 8-byte steps, lightness cycling through three levels. Keyed by size, not by class index,
/// so a 64 B block has the same colour in the modern (class 3) and classic (class 7) layouts.
pub fn size_colour(block_size: usize) -> String {
    let step = (block_size / 8).max(1) as f64;
    let hue = (step * 137.507_764) % 360.0;
    let light = [38, 52, 66][(block_size / 16) % 3];
    format!("hsl({hue:.0},65%,{light}%)")
}

/// `1048576` → `"1 MiB"`, `16384` → `"16 KiB"`, `48` → `"48 B"`.
pub fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} B")
    }
}

/// Escape text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            _ => o.push(c),
        }
    }
    o
}

/// Render a snapshot (arenas in the order given: [`Pymalloc::arena_snapshots`] yields
/// `usable_arenas` order, then the arenas with no free pool).
pub fn render(g: &MapGeometry, arenas: &[ArenaSnapshot]) -> String {
    render_with_returned(g, arenas, &[])
}

/// `nfp2lasta[n]` as the allocator keeps it (the rightmost arena of `usable_arenas` with `n`
/// free pools), derived from the list order of a snapshot: (position in `arenas`, n).
pub fn nfp2lasta(arenas: &[ArenaSnapshot]) -> Vec<(usize, u32)> {
    let usable: Vec<(usize, &ArenaSnapshot)> = arenas
        .iter()
        .enumerate()
        .filter(|(_, a)| a.usable)
        .collect();
    usable
        .iter()
        .enumerate()
        .filter(|(k, (_, a))| {
            usable
                .get(k + 1)
                .is_none_or(|(_, b)| b.nfreepools != a.nfreepools)
        })
        .map(|(_, (i, a))| (*i, a.nfreepools))
        .collect()
}

/// The label of an arena's row.
fn row_label(a: &ArenaSnapshot, last_usable: bool) -> String {
    if !a.usable {
        format!("arena {:>3}  no free pool", a.index)
    } else if a.nfreepools == a.ntotalpools && last_usable {
        format!("arena {:>3}  empty, kept", a.index)
    } else {
        format!("arena {:>3}  nfree {:>2}", a.index, a.nfreepools)
    }
}

/// Render a snapshot plus ghost rows for the arenas in `returned` (given back to the OS; their
/// arena objects wait on `unused_arena_objects`).
pub fn render_with_returned(g: &MapGeometry, arenas: &[ArenaSnapshot], returned: &[u32]) -> String {
    let counts = PoolCounts::of(arenas);
    let pools_per_row = arenas
        .iter()
        .map(|a| a.pools.len())
        .max()
        .unwrap_or(g.pools_per_arena);
    let grid_w = pools_per_row * (CELL_W + GAP);
    let width = (MARGIN * 2 + LIST_W + LABEL_W + grid_w + NFP_W).max(760);
    let has_full = counts.full_arenas > 0;
    let rows_h = arenas.len() * ROW_H
        + if has_full { ROW_H } else { 0 }
        + if returned.is_empty() {
            0
        } else {
            ROW_H * (1 + returned.len())
        };

    // Block sizes present, for the legend.
    let mut classes: Vec<(u32, usize)> = arenas
        .iter()
        .flat_map(|a| a.pools.iter())
        .filter_map(|p| p.size_class.map(|c| (c, p.block_size)))
        .collect();
    classes.sort_unstable();
    classes.dedup();
    let per_line = ((width - 2 * MARGIN) / LEGEND_ITEM_W).max(1);
    // Class entries, then the key entries (full / a few blocks / empty / never carved / returned).
    let legend_items = classes.len() + 5;
    let legend_h = LEGEND_ROW_H * (1 + legend_items.div_ceil(per_line));

    let grid_top = MARGIN + TITLE_H + 22;
    let legend_top = grid_top + rows_h + 12;
    let height = legend_top + legend_h + MARGIN;

    let mut o = String::new();
    let _ = writeln!(o, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="monospace" font-size="12" data-min-fill="{MIN_FILL}">"#
    );
    let title = format!(
        "pymalloc arena occupancy · {} layout · {} arenas = {} pools × {} · {} size classes of {} B",
        g.layout,
        human_bytes(g.arena_size),
        g.pools_per_arena,
        human_bytes(g.pool_size),
        g.size_classes,
        g.alignment,
    );
    let _ = writeln!(o, "<title>{}</title>", escape(&title));
    let _ = writeln!(
        o,
        r##"<defs><marker id="arrowhead" markerWidth="6" markerHeight="6" refX="5" refY="3" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#555"/></marker></defs>"##
    );
    let _ = writeln!(
        o,
        r#"<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>"#
    );
    let _ = writeln!(
        o,
        r#"<text class="title" x="{MARGIN}" y="{}" font-size="14" font-weight="bold">{}</text>"#,
        MARGIN + 14,
        escape(&title)
    );
    let summary = format!(
        "{} arenas: {} on usable_arenas (most used first), {} with no free pool{} · {} pools in use ({} full, {} partly used) · {} free pools",
        counts.arenas,
        counts.usable_arenas,
        counts.full_arenas,
        if returned.is_empty() {
            String::new()
        } else {
            format!(", {} returned to the OS", returned.len())
        },
        counts.full_pools + counts.used_pools,
        counts.full_pools,
        counts.used_pools,
        counts.free_pools,
    );
    let _ = writeln!(
        o,
        r#"<text class="summary" x="{MARGIN}" y="{}">{}</text>"#,
        MARGIN + 34,
        escape(&summary)
    );
    let list_x = MARGIN;
    let label_x = MARGIN + LIST_W;
    let grid_x = label_x + LABEL_W;
    let nfp_x = grid_x + grid_w + 6;
    let _ = writeln!(
        o,
        r##"<text x="{grid_x}" y="{}" fill="#555">pool 0 →</text>"##,
        grid_top - 6
    );

    let texts = row_texts(arenas);
    let first_usable = arenas.iter().position(|a| a.usable);
    let mut y = grid_top;
    let mut separator_done = false;
    let mut prev_usable_y: Option<usize> = None;
    for (i, a) in arenas.iter().enumerate() {
        if !a.usable && !separator_done {
            separator_done = true;
            let _ = writeln!(
                o,
                r##"<text class="separator" x="{label_x}" y="{}" fill="#555">── arenas with no free pool (on no list) ──</text>"##,
                y + CELL_H - 6
            );
            y += ROW_H;
        }
        let mid = y + CELL_H / 2;
        if a.usable {
            usable_link(&mut o, list_x, mid, prev_usable_y, Some(i) == first_usable);
            prev_usable_y = Some(mid);
        }
        let (label, marker) = &texts[i];
        let _ = writeln!(
            o,
            r#"<g class="arena" data-index="{}" data-nfreepools="{}" data-ntotalpools="{}" data-usable="{}">"#,
            a.index, a.nfreepools, a.ntotalpools, a.usable
        );
        let _ = writeln!(
            o,
            r#"<text class="row-label" x="{label_x}" y="{}" xml:space="preserve">{}</text>"#,
            y + CELL_H - 6,
            escape(label)
        );
        for (k, p) in a.pools.iter().enumerate() {
            pool_cell(&mut o, a, k, p, grid_x + k * (CELL_W + GAP), y);
        }
        let _ = writeln!(
            o,
            r##"<text class="nfp2lasta" x="{nfp_x}" y="{}" fill="#7a3b00">{}</text>"##,
            y + CELL_H - 6,
            escape(marker)
        );
        o.push_str("</g>\n");
        y += ROW_H;
    }
    if let Some(py) = prev_usable_y {
        let _ = writeln!(
            o,
            r##"<text x="{}" y="{}" fill="#555" font-size="10">NULL</text>"##,
            list_x + 30,
            py + ROW_H - 2
        );
    }
    if !returned.is_empty() {
        let _ = writeln!(
            o,
            r##"<text class="separator" x="{label_x}" y="{}" fill="#555">── returned to the OS (arena objects on unused_arena_objects) ──</text>"##,
            y + CELL_H - 6
        );
        y += ROW_H;
        for r in returned {
            let _ = writeln!(
                o,
                r##"<g class="returned" data-index="{r}"><title>arena {r}: every pool was empty, so its memory went back to the OS</title><text class="row-label" x="{label_x}" y="{}" fill="#999" xml:space="preserve">arena {r:>3}  returned</text><rect x="{grid_x}" y="{y}" width="{}" height="{CELL_H}" fill="#f4f4f4" stroke="#bbb" stroke-dasharray="4,3"/></g>"##,
                y + CELL_H - 6,
                pools_per_row * (CELL_W + GAP) - GAP
            );
            y += ROW_H;
        }
    }
    if arenas.is_empty() {
        let _ = writeln!(
            o,
            r##"<text x="{label_x}" y="{}" fill="#555">(no arenas mapped)</text>"##,
            grid_top + CELL_H - 6
        );
    }

    legend(&mut o, &classes, legend_top, per_line);
    o.push_str("</svg>\n");
    o
}

/// The `usable_arenas` list in the left column: the head pointer into the first usable row,
/// then `nextarena` (down) and `prevarena` (up) arrows between consecutive usable rows.
fn usable_link(o: &mut String, x: usize, mid: usize, prev_mid: Option<usize>, head: bool) {
    let node_x = x + 34;
    let _ = writeln!(
        o,
        r##"<circle class="list-node" cx="{node_x}" cy="{mid}" r="3" fill="#555"/><line x1="{}" y1="{mid}" x2="{}" y2="{mid}" stroke="#555" marker-end="url(#arrowhead)"/>"##,
        node_x + 3,
        x + LIST_W - 6
    );
    if head {
        let _ = writeln!(
            o,
            r##"<text class="list-head" x="{x}" y="{}" font-size="10" fill="#555">usable_arenas</text><line x1="{}" y1="{}" x2="{node_x}" y2="{}" stroke="#555" marker-end="url(#arrowhead)"/>"##,
            mid - 14,
            x + 20,
            mid - 10,
            mid - 4
        );
    }
    if let Some(p) = prev_mid {
        let _ = writeln!(
            o,
            r##"<g class="list-link"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555" marker-end="url(#arrowhead)"><title>nextarena</title></line><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999" marker-end="url(#arrowhead)"><title>prevarena</title></line><text x="{x}" y="{}" font-size="9" fill="#555">next↓ prev↑</text></g>"##,
            node_x - 3,
            p + 4,
            node_x - 3,
            mid - 5,
            node_x + 3,
            mid - 4,
            node_x + 3,
            p + 5,
            (p + mid) / 2 + 3
        );
    }
}

/// How one pool cell is drawn: the map draws every cell from it, and the trace page refills a
/// map's cells from a table of these (so the page has no drawing rule of its own).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CellStyle {
    /// `"full"`, `"used"` or `"free"`.
    pub state: &'static str,
    /// For free pools: `"empty"` (carved before) or `"never"` (never carved); else `""`.
    pub free: &'static str,
    /// Size class of a pool in use.
    pub class: Option<u32>,
    /// Block size in bytes (0 for a free pool).
    pub size: usize,
    /// Blocks in use.
    pub used: usize,
    /// Blocks the pool holds.
    pub capacity: usize,
    /// Box and bar colour.
    pub fill: String,
    /// Box fill opacity (the bar is opaque).
    pub fill_opacity: &'static str,
    /// Box outline colour.
    pub stroke: String,
    /// Box outline dash pattern (`none` for solid).
    pub dash: &'static str,
    /// Height of the bar (0 for a free pool), at least [`MIN_FILL`] when a block is in use.
    pub bar: usize,
    /// The count printed in the cell (empty for a free pool or past 999).
    pub count: String,
    /// The tooltip after "arena A pool K: ".
    pub about: String,
}

impl CellStyle {
    /// The style of pool `p`.
    pub fn of(p: &PoolSnapshot) -> CellStyle {
        let free = |free: &'static str, stroke: &str, dash: &'static str, about: &str| CellStyle {
            state: "free",
            free,
            class: None,
            size: 0,
            used: 0,
            capacity: 0,
            fill: "white".into(),
            fill_opacity: "1",
            stroke: stroke.into(),
            dash,
            bar: 0,
            count: String::new(),
            about: about.into(),
        };
        match p.size_class {
            None if p.carved => free(
                "empty",
                "#888",
                "none",
                "empty (carved before, now on the arena's freepools list)",
            ),
            None => free("never", "#bbb", "2,2", "never carved"),
            Some(class) => {
                let colour = size_colour(p.block_size);
                let cap = p.capacity.max(1);
                CellStyle {
                    state: if p.blocks_in_use >= cap {
                        "full"
                    } else {
                        "used"
                    },
                    free: "",
                    class: Some(class),
                    size: p.block_size,
                    used: p.blocks_in_use,
                    capacity: p.capacity,
                    fill: colour.clone(),
                    fill_opacity: "0.2",
                    stroke: colour,
                    dash: "none",
                    bar: ((CELL_H * p.blocks_in_use).div_ceil(cap)).clamp(MIN_FILL, CELL_H),
                    count: if p.blocks_in_use < 1000 {
                        p.blocks_in_use.to_string()
                    } else {
                        String::new()
                    },
                    about: format!(
                        "class {class} ({} B blocks), {}/{} blocks in use ({:.0}%)",
                        p.block_size,
                        p.blocks_in_use,
                        p.capacity,
                        100.0 * p.blocks_in_use as f64 / cap as f64
                    ),
                }
            }
        }
    }
}

/// One pool: a `<g class="pool">` with a tooltip, a box, a bar and the count (the bar and the
/// count are empty for a free pool, so a page can restyle any cell into any state).
fn pool_cell(o: &mut String, a: &ArenaSnapshot, k: usize, p: &PoolSnapshot, x: usize, y: usize) {
    let c = CellStyle::of(p);
    let class = c
        .class
        .map(|c| format!(r#" data-class="{c}""#))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        r##"<g class="pool" data-pool="{k}" data-state="{}" data-free="{}"{class} data-size="{}" data-used="{}" data-capacity="{}"><title>arena {} pool {k}: {}</title><rect class="box" x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{}" fill-opacity="{}" stroke="{}" stroke-dasharray="{}"/><rect class="bar" x="{x}" y="{}" width="{CELL_W}" height="{}" fill="{}"/><text class="count" x="{}" y="{}" font-size="8" text-anchor="middle" fill="#000" stroke="white" stroke-width="2" paint-order="stroke">{}</text></g>"##,
        c.state,
        c.free,
        c.size,
        c.used,
        c.capacity,
        a.index,
        escape(&c.about),
        c.fill,
        c.fill_opacity,
        c.stroke,
        c.dash,
        y + CELL_H - c.bar,
        c.bar,
        c.fill,
        x + CELL_W / 2,
        y + CELL_H / 2 + 3,
        c.count,
    );
}

/// The texts of an arena's row that change while its pools fill and empty: the row label and
/// the `nfp2lasta` marker ("" when none), for each arena of `arenas` in order.
pub fn row_texts(arenas: &[ArenaSnapshot]) -> Vec<(String, String)> {
    let lasts = nfp2lasta(arenas);
    let last_usable = arenas.iter().rposition(|a| a.usable);
    arenas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let marker = lasts
                .iter()
                .find(|(pos, _)| *pos == i)
                .map(|(_, n)| format!("◀ nfp2lasta[{n}]"))
                .unwrap_or_default();
            (row_label(a, Some(i) == last_usable), marker)
        })
        .collect()
}

/// The legend: one swatch per block size present, then the fill key.
fn legend(o: &mut String, classes: &[(u32, usize)], top: usize, per_line: usize) {
    let _ = writeln!(o, r#"<g class="legend">"#);
    let _ = writeln!(
        o,
        r#"<text x="{MARGIN}" y="{}" font-weight="bold">block sizes (colour) · fill = blocks in use / capacity, count in the cell</text>"#,
        top + 12
    );
    let slot = |i: usize| {
        (
            MARGIN + (i % per_line) * LEGEND_ITEM_W,
            top + LEGEND_ROW_H * (1 + i / per_line),
        )
    };
    for (i, &(class, size)) in classes.iter().enumerate() {
        let (x, y) = slot(i);
        let _ = writeln!(
            o,
            r#"<g class="legend-class" data-class="{class}"><rect x="{x}" y="{y}" width="12" height="12" fill="{}"/><text x="{}" y="{}">{size} B (class {class})</text></g>"#,
            size_colour(size),
            x + 16,
            y + 11
        );
    }
    let n = classes.len();
    let keys: [(&str, &str); 5] = [
        (
            r##"<rect x="{x}" y="{y}" width="12" height="12" fill="#444"/>"##,
            "full pool",
        ),
        (
            r##"<rect x="{x}" y="{y}" width="12" height="12" fill="#444" fill-opacity="0.2" stroke="#444"/><rect x="{x}" y="{y3}" width="12" height="3" fill="#444"/>"##,
            "a few blocks",
        ),
        (
            r##"<rect x="{x}" y="{y}" width="12" height="12" fill="white" stroke="#888"/>"##,
            "empty pool",
        ),
        (
            r##"<rect x="{x}" y="{y}" width="12" height="12" fill="white" stroke="#bbb" stroke-dasharray="2,2"/>"##,
            "never carved",
        ),
        (
            r##"<rect x="{x}" y="{y}" width="12" height="12" fill="#f4f4f4" stroke="#bbb" stroke-dasharray="4,3"/>"##,
            "arena returned",
        ),
    ];
    for (j, (shape, text)) in keys.iter().enumerate() {
        let (x, y) = slot(n + j);
        let shape = shape
            .replace("{x}", &x.to_string())
            .replace("{y3}", &(y + 9).to_string())
            .replace("{y}", &y.to_string());
        let _ = writeln!(
            o,
            r#"{shape}<text x="{}" y="{}">{text}</text>"#,
            x + 16,
            y + 11
        );
    }
    o.push_str("</g>\n");
}

#[cfg(test)]
#[path = "xml_check.rs"]
mod xml_check;

#[cfg(test)]
mod tests {
    use super::xml_check::{self, Element};
    use super::*;
    use crate::allocator::{Classic, Modern};
    use std::ptr::NonNull;

    /// A fragmented state: several size classes over a few arenas, then most blocks freed in a
    /// pattern that leaves full, partly used and empty pools, and a whole arena's worth freed.
    fn fragmented<T: Tunables>(heap: &mut Pymalloc<T>) -> Vec<NonNull<u8>> {
        let per_arena = T::ARENA_SIZE / 64; // blocks of 64 B ≈ one arena
        let mut blocks: Vec<(usize, NonNull<u8>)> = Vec::new();
        for i in 0..3 * per_arena {
            let size = [24, 64, 200, 512][i % 4];
            blocks.push((i, heap.alloc(size)));
        }
        let mut live = Vec::new();
        for (i, p) in blocks {
            // Keep everything in the first sixth, every 97th block elsewhere.
            if i < per_arena / 2 || i % 97 == 0 {
                live.push(p);
            } else {
                // SAFETY: p came from heap.alloc and is freed once.
                unsafe { heap.free(p) };
            }
        }
        heap.check_invariants().unwrap();
        live
    }

    fn release<T: Tunables>(heap: &mut Pymalloc<T>, live: Vec<NonNull<u8>>) {
        for p in live {
            // SAFETY: every block in `live` is allocated and freed once.
            unsafe { heap.free(p) };
        }
    }

    fn elements_with_class<'a>(elems: &'a [Element], class: &str) -> Vec<(usize, &'a Element)> {
        elems
            .iter()
            .enumerate()
            .filter(|(_, e)| e.attr("class") == Some(class))
            .collect()
    }

    fn check_map<T: Tunables>() {
        let mut heap: Pymalloc<T> = Pymalloc::new();
        let live = fragmented(&mut heap);
        let snap = heap.arena_snapshots();
        let svg = arena_occupancy_svg(&heap);
        let elems = xml_check::parse(&svg).unwrap_or_else(|e| panic!("invalid XML: {e}\n{svg}"));
        assert_eq!(elems[0].name, "svg");
        assert_eq!(elems[0].attr("xmlns"), Some("http://www.w3.org/2000/svg"));

        // One cell per pool, in the right arena rows.
        let total: usize = snap.iter().map(|a| a.pools.len()).sum();
        assert_eq!(total, heap.arenas_current() * T::MAX_POOLS_IN_ARENA);
        let cells = elements_with_class(&elems, "pool");
        assert_eq!(cells.len(), total);
        assert_eq!(PoolCounts::of(&snap).total_pools(), total);

        // Rows in usable_arenas order (the snapshot's order), nfreepools ascending among them.
        let rows = elements_with_class(&elems, "arena");
        let order: Vec<u32> = rows
            .iter()
            .map(|(_, e)| e.attr("data-index").unwrap().parse().unwrap())
            .collect();
        let expected: Vec<u32> = snap.iter().map(|a| a.index).collect();
        assert_eq!(order, expected);
        let nfree: Vec<u32> = rows
            .iter()
            .filter(|(_, e)| e.attr("data-usable") == Some("true"))
            .map(|(_, e)| e.attr("data-nfreepools").unwrap().parse().unwrap())
            .collect();
        assert!(nfree.windows(2).all(|w| w[0] <= w[1]), "{nfree:?}");
        for (row, a) in rows.iter().zip(&snap) {
            let in_row = cells
                .iter()
                .filter(|(_, c)| c.parent == Some(row.0))
                .count();
            assert_eq!(in_row, a.pools.len());
            let label = elems
                .iter()
                .find(|e| e.parent == Some(row.0) && e.attr("class") == Some("row-label"))
                .unwrap();
            if a.usable {
                assert!(label.text.contains(&format!("nfree {:>2}", a.nfreepools)));
            }
        }

        // The workload leaves every pool state on the map, and the cells say which.
        let counts = PoolCounts::of(&snap);
        assert!(counts.full_pools > 0 && counts.used_pools > 0 && counts.free_pools > 0);
        let state = |s: &str| {
            cells
                .iter()
                .filter(|(_, c)| c.attr("data-state") == Some(s))
                .count()
        };
        assert_eq!(state("full"), counts.full_pools);
        assert_eq!(state("used"), counts.used_pools);
        assert_eq!(state("free"), counts.free_pools);

        // Title names the layout and its sizes; legend has one swatch per class present.
        let title = elems.iter().find(|e| e.name == "title").unwrap();
        assert!(title.text.contains(&format!("{} layout", T::NAME)));
        assert!(title.text.contains(&human_bytes(T::ARENA_SIZE)));
        assert!(title.text.contains(&human_bytes(T::POOL_SIZE)));
        let mut classes: Vec<u32> = snap
            .iter()
            .flat_map(|a| &a.pools)
            .filter_map(|p| p.size_class)
            .collect();
        classes.sort_unstable();
        classes.dedup();
        assert_eq!(
            elements_with_class(&elems, "legend-class").len(),
            classes.len()
        );
        release(&mut heap, live);
    }

    #[test]
    fn modern_map_is_valid_xml_with_one_cell_per_pool() {
        check_map::<Modern>();
    }

    #[test]
    fn classic_map_is_valid_xml_with_one_cell_per_pool() {
        check_map::<Classic>();
    }

    #[test]
    fn empty_heap_renders() {
        let heap: Pymalloc = Pymalloc::new();
        let svg = arena_occupancy_svg(&heap);
        let elems = xml_check::parse(&svg).unwrap();
        assert!(elements_with_class(&elems, "pool").is_empty());
    }

    #[test]
    fn escaping_and_sizes() {
        assert_eq!(escape(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(human_bytes(1 << 20), "1 MiB");
        assert_eq!(human_bytes(256 << 10), "256 KiB");
        assert_eq!(human_bytes(48), "48 B");
        assert!(xml_check::parse("<a><b></a></b>").is_err());
        assert!(xml_check::parse("<a x=1/>").is_err());
        assert!(xml_check::parse("<a>&nbsp;</a>").is_err());
        assert!(xml_check::parse("<a/><b/>").is_err());
    }
}
