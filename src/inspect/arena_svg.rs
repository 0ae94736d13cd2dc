//! The arena occupancy map: pymalloc's arenas and pools as one SVG picture.
//!
//! What it shows, and why: pymalloc returns memory to the OS only a whole arena at a time, and
//! an arena goes back only when every one of its pools is empty. One live block can pin a whole
//! arena (1 MiB in the modern layout). The map makes that visible: each arena is a row, each
//! pool a cell, coloured by the size class it serves and filled from the bottom in proportion to
//! its blocks in use. Rows come in `usable_arenas` order — ascending `nfreepools`, the most used
//! arena first, which is where the next new pool is taken from — followed by the arenas that have
//! no free pool at all (they are on no list).
//!
//! ```text
//!  pymalloc arena occupancy · modern layout · 1 MiB arenas = 64 pools × 16 KiB · 32 size classes
//!  3 arenas: 2 on usable_arenas, 1 with no free pool · 70 pools in use (12 full) · 58 free
//!
//!                       pool 0                                                  pool 63
//!  arena 2  nfree  5   ┌█┐┌▆┐┌▂┐┌█┐┌▄┐ ... ┌┄┐┌┄┐      ← usable_arenas head (most used)
//!  arena 0  nfree 60   ┌▂┐┌┄┐┌┄┐┌▁┐┌┄┐ ... ┌┄┐┌┄┐
//!  ── no free pool ──
//!  arena 1  full       ┌█┐┌█┐┌▇┐┌█┐┌█┐ ... ┌█┐┌█┐
//!
//!  legend: ■ class 2 (48 B)  ■ class 3 (64 B)  ...   █ full  ▄ half used  ┄ free pool
//! ```
//!
//! A cell of a pool in use is a light box in its class colour with a solid bar whose height is
//! `blocks_in_use / capacity` of the cell; a full pool is solid. A free pool (empty, on the
//! arena's `freepools` list, or never carved) is a white cell with a dashed grey outline: the
//! allocator's snapshot ([`PoolSnapshot`]) does not yet tell empty and never-carved pools apart.
//! Every cell carries a `<title>` tooltip with its exact numbers, and `data-*` attributes that
//! tests (and scripts) can read.
//!
//! The SVG is hand-written XML: self-contained, no external fonts or styles (text uses the
//! generic `monospace` family), every text escaped. Colours are spread over the hue circle by the
//! golden angle (and three lightness levels), so neighbouring size classes get clearly
//! different colours, and a class has the same colour in every map.

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
const LABEL_W: usize = 170;
const CELL_W: usize = 12;
const CELL_H: usize = 22;
const GAP: usize = 2;
const ROW_H: usize = CELL_H + 6;
const TITLE_H: usize = 48;
const LEGEND_ROW_H: usize = 18;
const LEGEND_ITEM_W: usize = 150;

/// Fill colour of size class `class`: hues spread by the golden angle, lightness cycling through
/// three levels, so that a class keeps its colour from one map to the next and classes whose hues
/// land close together still differ.
pub fn class_colour(class: u32) -> String {
    let hue = (f64::from(class) * 137.507_764) % 360.0;
    let light = [38, 52, 66][class as usize % 3];
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
    let counts = PoolCounts::of(arenas);
    let pools_per_row = arenas
        .iter()
        .map(|a| a.pools.len())
        .max()
        .unwrap_or(g.pools_per_arena);
    let grid_w = pools_per_row * (CELL_W + GAP);
    let width = (MARGIN * 2 + LABEL_W + grid_w).max(760);
    let has_full = counts.full_arenas > 0;
    let rows_h = arenas.len() * ROW_H + if has_full { ROW_H } else { 0 };

    // Size classes present, for the legend.
    let mut classes: Vec<(u32, usize)> = arenas
        .iter()
        .flat_map(|a| a.pools.iter())
        .filter_map(|p| p.size_class.map(|c| (c, p.block_size)))
        .collect();
    classes.sort_unstable();
    classes.dedup();
    let per_line = ((width - 2 * MARGIN) / LEGEND_ITEM_W).max(1);
    // Class entries, then the three key entries (full / partly used / free).
    let legend_items = classes.len() + 3;
    let legend_h = LEGEND_ROW_H * (1 + legend_items.div_ceil(per_line));

    let grid_top = MARGIN + TITLE_H + 16;
    let legend_top = grid_top + rows_h + 12;
    let height = legend_top + legend_h + MARGIN;

    let mut o = String::new();
    let _ = writeln!(o, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="monospace" font-size="12">"#
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
        r#"<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>"#
    );
    let _ = writeln!(
        o,
        r#"<text class="title" x="{MARGIN}" y="{}" font-size="14" font-weight="bold">{}</text>"#,
        MARGIN + 14,
        escape(&title)
    );
    let summary = format!(
        "{} arenas: {} on usable_arenas (most used first), {} with no free pool · {} pools in use ({} full, {} partly used) · {} free pools",
        counts.arenas,
        counts.usable_arenas,
        counts.full_arenas,
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
    let grid_x = MARGIN + LABEL_W;
    let _ = writeln!(
        o,
        r##"<text x="{grid_x}" y="{}" fill="#555">pool 0 →</text>"##,
        grid_top - 4
    );

    let mut y = grid_top;
    let mut separator_done = false;
    for a in arenas {
        if !a.usable && !separator_done {
            separator_done = true;
            let _ = writeln!(
                o,
                r##"<text class="separator" x="{MARGIN}" y="{}" fill="#555">── arenas with no free pool (on no list) ──</text>"##,
                y + CELL_H - 6
            );
            y += ROW_H;
        }
        let label = if a.usable {
            format!("arena {:>3}  nfree {:>2}", a.index, a.nfreepools)
        } else {
            format!("arena {:>3}  full", a.index)
        };
        let _ = writeln!(
            o,
            r#"<g class="arena" data-index="{}" data-nfreepools="{}" data-ntotalpools="{}" data-usable="{}">"#,
            a.index, a.nfreepools, a.ntotalpools, a.usable
        );
        let _ = writeln!(
            o,
            r#"<text class="row-label" x="{MARGIN}" y="{}" xml:space="preserve">{}</text>"#,
            y + CELL_H - 6,
            escape(&label)
        );
        for (k, p) in a.pools.iter().enumerate() {
            pool_cell(&mut o, a, k, p, grid_x + k * (CELL_W + GAP), y);
        }
        o.push_str("</g>\n");
        y += ROW_H;
    }
    if arenas.is_empty() {
        let _ = writeln!(
            o,
            r##"<text x="{MARGIN}" y="{}" fill="#555">(no arenas mapped)</text>"##,
            grid_top + CELL_H - 6
        );
    }

    legend(&mut o, &classes, legend_top, per_line);
    o.push_str("</svg>\n");
    o
}

/// One pool: a `<g class="pool">` with a tooltip, a box, and (in use) a bar.
fn pool_cell(o: &mut String, a: &ArenaSnapshot, k: usize, p: &PoolSnapshot, x: usize, y: usize) {
    match p.size_class {
        None => {
            let _ = writeln!(
                o,
                r##"<g class="pool" data-pool="{k}" data-state="free"><title>arena {} pool {k}: free (empty or never carved)</title><rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="white" stroke="#999" stroke-dasharray="2,2"/></g>"##,
                a.index
            );
        }
        Some(class) => {
            let colour = class_colour(class);
            let cap = p.capacity.max(1);
            let state = if p.blocks_in_use >= cap {
                "full"
            } else {
                "used"
            };
            // At least one pixel so a pool with one live block is not mistaken for an empty one.
            let bar = ((CELL_H * p.blocks_in_use).div_ceil(cap)).clamp(1, CELL_H);
            let _ = writeln!(
                o,
                r#"<g class="pool" data-pool="{k}" data-state="{state}" data-class="{class}" data-used="{}" data-capacity="{}"><title>arena {} pool {k}: class {class} ({} B blocks), {}/{} blocks in use ({:.0}%)</title><rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{colour}" fill-opacity="0.2" stroke="{colour}"/><rect x="{x}" y="{}" width="{CELL_W}" height="{bar}" fill="{colour}"/></g>"#,
                p.blocks_in_use,
                p.capacity,
                a.index,
                p.block_size,
                p.blocks_in_use,
                p.capacity,
                100.0 * p.blocks_in_use as f64 / cap as f64,
                y + CELL_H - bar,
            );
        }
    }
}

/// The legend: one swatch per size class present, then the fill key.
fn legend(o: &mut String, classes: &[(u32, usize)], top: usize, per_line: usize) {
    let _ = writeln!(o, r#"<g class="legend">"#);
    let _ = writeln!(
        o,
        r#"<text x="{MARGIN}" y="{}" font-weight="bold">size classes (colour) · fill = blocks in use / capacity</text>"#,
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
            r#"<g class="legend-class" data-class="{class}"><rect x="{x}" y="{y}" width="12" height="12" fill="{}"/><text x="{}" y="{}">class {class} ({size} B)</text></g>"#,
            class_colour(class),
            x + 16,
            y + 11
        );
    }
    let n = classes.len();
    let (x, y) = slot(n);
    let _ = writeln!(
        o,
        r##"<rect x="{x}" y="{y}" width="12" height="12" fill="#444"/><text x="{}" y="{}">full pool</text>"##,
        x + 16,
        y + 11
    );
    let (x, y) = slot(n + 1);
    let _ = writeln!(
        o,
        r##"<rect x="{x}" y="{y}" width="12" height="12" fill="#444" fill-opacity="0.2" stroke="#444"/><rect x="{x}" y="{}" width="12" height="6" fill="#444"/><text x="{}" y="{}">half used</text>"##,
        y + 6,
        x + 16,
        y + 11
    );
    let (x, y) = slot(n + 2);
    let _ = writeln!(
        o,
        r##"<rect x="{x}" y="{y}" width="12" height="12" fill="white" stroke="#999" stroke-dasharray="2,2"/><text x="{}" y="{}">free pool</text>"##,
        x + 16,
        y + 11
    );
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
