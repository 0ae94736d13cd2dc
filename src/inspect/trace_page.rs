//! The page of `pyheap trace`: one self-contained HTML file (no network, no external script,
//! style or font; works from `file://`) that steps through a [`Trace`].
//!
//! ```text
//!  ┌ pyheap trace · FILE ───────────────────────────────────────────────────────────┐
//!  │ ◀ prev  [━━━━━●━━━━━━━]  next ▶   step 12/140 · line 5 next · in f()          │
//!  ├ source ───────────┬ gc.get_count() 3/700 0/10 0/10 ───────────────────────────┤
//!  │  3 x = [1, 2]      │ names → objects (type #id, sys.getrefcount, generation)   │
//!  │  4 y = x           │  Global frame        list #2  getrefcount 3 · gen 0       │
//!  │▶ 5 del x           │   x ●──────────────▶ [0] ●──▶ int #3 …                    │
//!  │                    │ events: pool 3 of arena 0 carved for 64 B blocks · …      │
//!  │                    │ occupancy map (the SVG of `pyheap map`, this step's blocks)│
//!  └────────────────────┴───────────────────────────────────────────────────────────┘
//! ```
//!
//! The data is one JSON document inside a `<script type="application/json">`; objects are
//! stored once per distinct state and steps refer to them, and each distinct arena-map
//! structure is one SVG that the page refills with the step's blocks per pool (the bar rule
//! is the map's: see [`super::arena_svg`]'s `MIN_FILL`). Keys: ←/→ or j/k step, Home/End.
//!
//! Size limits: at most [`MAX_STEPS`] steps and
//! [`MAX_OBJECTS`] boxes per step; a 200-line program
//! gives a page of a few hundred KiB, which a browser opens in well under a second.

use super::arena_svg::{self, escape};
use super::trace_record::{MAX_OBJECTS, MAX_SLOTS, MAX_STEPS, SAMPLING_RULE, Trace};
use serde_json::{Value, json};
use std::collections::HashMap;

/// A step stores all its map cells at least this often (else only the cells that changed).
const KEYFRAME: usize = 50;

/// The page for `trace`.
pub fn render(trace: &Trace) -> String {
    let data = data_json(trace);
    let mut json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".into());
    // Inside <script>, `</` would end the element.
    json = json.replace("</", "<\\/");
    let mut src = String::new();
    for (i, l) in trace.source.lines().enumerate() {
        src.push_str(&format!(
            "<div class=\"ln\" id=\"L{n}\" data-line=\"{n}\"><span class=\"no\">{n}</span><span class=\"src\">{}</span></div>\n",
            escape(l),
            n = i + 1
        ));
    }
    let title = format!("pyheap trace · {}", trace.filename);
    let g = &trace.geometry;
    let about = format!(
        "{} line events, {} steps · {} layout: {} arenas of {} pools × {} · thresholds {}/{}/{} · exit status {} · {} collections",
        trace.line_events,
        trace.steps.len(),
        g.layout,
        arena_svg::human_bytes(g.arena_size),
        g.pools_per_arena,
        arena_svg::human_bytes(g.pool_size),
        trace.thresholds[0],
        trace.thresholds[1],
        trace.thresholds[2],
        trace.exit_code,
        trace.collections,
    );
    let limits = format!(
        "Sampling: {SAMPLING_RULE}. Limits: at most {MAX_STEPS} steps, {MAX_OBJECTS} boxes per step \
         (breadth first from the names), {MAX_SLOTS} references drawn per container. A step shows \
         the state before the highlighted line runs, after the lines before it."
    );
    PAGE.replace("{{TITLE}}", &escape(&title))
        .replace("{{ABOUT}}", &escape(&about))
        .replace("{{LIMITS}}", &escape(&limits))
        .replace("{{SOURCE}}", &src)
        .replace("{{DATA}}", &json)
        .replace("{{STYLE}}", STYLE)
        .replace("{{SCRIPT}}", SCRIPT)
}

fn data_json(t: &Trace) -> Value {
    let objects: Vec<Value> = t
        .objects
        .iter()
        .map(|o| {
            json!({
                "id": o.id, "ty": o.ty, "rc": o.getrefcount, "gen": o.generation,
                "size": o.size, "v": o.value,
                "slots": o.slots.iter().map(|(l, id)| json!([l, id])).collect::<Vec<_>>(),
                "more": o.more,
            })
        })
        .collect();
    let maps: Vec<Value> = t
        .maps
        .iter()
        .map(|(shape, snap)| {
            let svg = arena_svg::render_with_returned(&t.geometry, snap, &shape.returned);
            let body = match svg.find("<svg") {
                Some(i) => &svg[i..],
                None => &svg,
            };
            json!({ "svg": body, "arenas": snap.len(), "returned": shape.returned })
        })
        .collect();
    let styles: Vec<Value> = t
        .styles
        .iter()
        .map(|c| {
            json!([
                c.state,
                c.fill,
                c.fill_opacity,
                c.stroke,
                c.dash,
                c.bar,
                c.count,
                c.about,
                c.used
            ])
        })
        .collect();
    // Cells: in full when the map changes and every KEYFRAME steps, else the changed cells.
    let mut prev: Option<(usize, &[usize])> = None;
    let steps: Vec<Value> = t
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut v = json!({
                "line": s.line, "event": s.event, "fn": s.function,
                "names": s.names.iter().map(|n| json!([n.scope, n.name, n.target])).collect::<Vec<_>>(),
                "objs": s.objects, "count": s.gc_count, "map": s.map,
                "rows": s.rows.iter().map(|(l, m)| json!([l, m])).collect::<Vec<_>>(),
                "blocks": s.blocks_in_use, "large": s.large_in_use, "arenas": s.arenas,
                "ev": s.events,
            });
            if !s.pools.is_empty() {
                v["pt"] = json!(s.pools.iter().map(|&(a, p, t)| [a as usize, p, t]).collect::<Vec<_>>());
            }
            match prev {
                Some((m, old)) if m == s.map && i % KEYFRAME != 0 => {
                    let d: Vec<[usize; 2]> = s
                        .cells
                        .iter()
                        .zip(old)
                        .enumerate()
                        .filter(|(_, (a, b))| a != b)
                        .map(|(k, (a, _))| [k, *a])
                        .collect();
                    v["dcells"] = json!(d);
                }
                _ => v["cells"] = json!(s.cells),
            }
            prev = Some((s.map, &s.cells));
            v
        })
        .collect();
    // Pool drill-downs as lists of line numbers into one table of distinct lines: successive
    // texts of a pool differ in a line or two (its header fields and one strip of blocks).
    let mut line_index: HashMap<&str, usize> = HashMap::new();
    let mut pool_lines: Vec<&str> = Vec::new();
    let pool_texts: Vec<Vec<usize>> = t
        .pool_texts
        .iter()
        .map(|text| {
            text.lines()
                .map(|l| {
                    *line_index.entry(l).or_insert_with(|| {
                        pool_lines.push(l);
                        pool_lines.len() - 1
                    })
                })
                .collect()
        })
        .collect();
    json!({
        "file": t.filename, "thresholds": t.thresholds, "events": t.line_events,
        "pools": t.geometry.pools_per_arena,
        "objects": objects, "maps": maps, "styles": styles, "steps": steps,
        "poollines": pool_lines, "pooltexts": pool_texts,
    })
}

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{TITLE}}</title>
<style>{{STYLE}}</style>
</head>
<body>
<header>
<h1>{{TITLE}}</h1>
<p class="about">{{ABOUT}}</p>
<p class="limits">{{LIMITS}}</p>
</header>
<div id="controls">
<button id="prev" title="previous step (← or k)">◀ prev</button>
<input type="range" id="slider" min="0" max="0" value="0" aria-label="step">
<button id="next" title="next step (→ or j)">next ▶</button>
<span id="stepinfo"></span>
</div>
<main>
<section id="code"><h2>source</h2><div id="src">
{{SOURCE}}</div></section>
<section id="right">
<div id="gen"></div>
<h2>names → objects <span class="hint">(type #id · sys.getrefcount · generation · getsizeof)</span></h2>
<div id="diagram"><svg id="arrows" aria-hidden="true"></svg><div id="cols"></div></div>
<h2>what happened since the previous step</h2>
<ul id="events"></ul>
<h2>occupancy map of this step <span class="hint">(the picture of <code>pyheap map</code>; hover a pool, click it to open it)</span></h2>
<div id="mapinfo"></div>
<div id="maplegend"><span class="k-emptied">pool emptied in this step</span> <span class="k-carved">pool carved in this step</span> (outlines; the same colours as their events above)</div>
<div id="mapbox"></div>
<pre id="pooldetail">click a pool of the map: its header fields and blocks as <code>pyheap map --pool</code> shows them (recorded at each step that changed the pool)</pre>
</section>
</main>
<script id="trace-data" type="application/json">{{DATA}}</script>
<script>{{SCRIPT}}</script>
</body>
</html>
"#;

const STYLE: &str = r##"
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:8px 16px;background:#fff;border-bottom:1px solid #ddd}
h1{font-size:18px;margin:4px 0}
h2{font-size:14px;margin:12px 0 4px}
.about,.limits{font-size:12px;margin:2px 0;color:#555;max-width:1400px}
.hint{font-weight:normal;color:#777;font-size:12px}
#controls{position:sticky;top:0;z-index:5;background:#fff;padding:6px 16px;border-bottom:1px solid #ddd;display:flex;gap:8px;align-items:center}
#slider{flex:1 1 200px;min-width:120px;max-width:700px}
#controls button{flex:0 0 auto;white-space:nowrap}
#stepinfo{font-family:monospace;font-size:13px;flex:0 1 auto;min-width:0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
main{display:flex;gap:16px;padding:8px 16px;align-items:flex-start}
#code{flex:0 0 34%;max-width:560px;position:sticky;top:44px;max-height:calc(100vh - 60px);overflow:auto;background:#fff;border:1px solid #ddd}
#code h2{margin:4px 8px}
#src{font-family:monospace;font-size:13px;white-space:pre}
.ln{padding:0 8px 0 0}
.ln .no{display:inline-block;width:3.5em;text-align:right;color:#999;margin-right:10px}
.ln.cur{background:#ffe98a}
.ln.cur .no{color:#000;font-weight:bold}
.ln.cur .no::before{content:"▶ "}
.ln.done{background:#eef5ff}
#right{flex:1;min-width:0}
#gen{font-family:monospace;font-size:13px;display:flex;gap:18px;flex-wrap:wrap}
.genbox{border:1px solid #ccc;background:#fff;padding:4px 8px;min-width:150px}
.genbar{height:6px;background:#eee;margin-top:3px}
.genbar div{height:6px;background:#4a7bd0}
#diagram{position:relative;background:#fff;border:1px solid #ddd;min-height:80px;overflow:auto}
#arrows{position:absolute;left:0;top:0;pointer-events:none;overflow:visible}
#cols{display:flex;gap:56px;padding:10px;align-items:flex-start;position:relative}
.col{display:flex;flex-direction:column;gap:10px}
.frame{border:1px solid #999;background:#f3f3f3;font-family:monospace;font-size:12px;min-width:120px}
.frame .fh{background:#ddd;padding:2px 6px;font-weight:bold}
.row{display:flex;justify-content:space-between;gap:10px;padding:2px 6px;border-top:1px solid #e4e4e4}
.dot{display:inline-block;width:8px;height:8px;border-radius:4px;background:#333;margin-top:4px}
.obj{border:1px solid #7a8fb8;background:#eef2fb;font-family:monospace;font-size:12px;min-width:110px}
.obj .oh{background:#c9d5ef;padding:2px 6px;font-weight:bold}
.obj .om{padding:1px 6px;color:#444;font-size:11px}
.obj .ov{padding:2px 6px;color:#000}
.obj.g-untracked{border-style:dashed}
.obj.g-immortal{border-color:#aaa;background:#f4f4f4}
.obj.new{box-shadow:0 0 0 2px #f2a900}
#events{font-family:monospace;font-size:12px;background:#fff;border:1px solid #ddd;margin:0;padding:6px 6px 6px 24px;min-height:18px}
#events li.gc{color:#9c2b00;font-weight:bold}
#events li.arena{color:#00529c;font-weight:bold}
#events li.pool-emptied{color:#e8590c}
#events li.pool-carved{color:#0b7a75}
#maplegend{font-size:12px;color:#555;margin-bottom:4px}
#maplegend span{display:inline-block;padding:0 6px;margin-right:6px;border:2.5px solid;font-family:monospace}
#maplegend .k-emptied{border-color:#e8590c;color:#e8590c}
#maplegend .k-carved{border-color:#0b7a75;color:#0b7a75}
#mapinfo{font-family:monospace;font-size:12px;margin-bottom:4px}
#mapbox{overflow-x:auto}
#mapbox g.pool{cursor:pointer}
#pooldetail{font-size:12px;background:#fafafa;border:1px solid #ddd;padding:6px;white-space:pre;overflow-x:auto}
#mapbox svg{min-width:1100px;width:100%;height:auto;background:#fff;border:1px solid #ddd}
"##;

const SCRIPT: &str = r##"
"use strict";
(function(){
const D = JSON.parse(document.getElementById("trace-data").textContent);
const steps = D.steps, objects = D.objects;
const slider = document.getElementById("slider");
slider.max = String(steps.length - 1);
let cur = -1, curMap = -1;
const SVGNS = "http://www.w3.org/2000/svg";

function el(tag, cls, text){ const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }

function show(i){
  i = Math.max(0, Math.min(steps.length - 1, i));
  const prev = cur; cur = i; slider.value = String(i);
  const s = steps[i];
  document.querySelectorAll(".ln.cur,.ln.done").forEach(n => n.classList.remove("cur","done"));
  if (i > 0 && steps[i-1].line > 0) { const d = document.getElementById("L" + steps[i-1].line); if (d) d.classList.add("done"); }
  const l = document.getElementById("L" + s.line);
  if (l) { l.classList.add("cur"); l.scrollIntoView({block:"nearest"}); }
  document.getElementById("stepinfo").textContent = "step " + (i+1) + "/" + steps.length +
    " · line event " + s.event + " · " + (s.line > 0 ? "line " + s.line + " runs next in " + s.fn : "end of program");
  showGen(s); showDiagram(s, i > 0 ? steps[i-1] : null); showEvents(s); showMap(s); showPool();
}

function showGen(s){
  const g = document.getElementById("gen"); g.textContent = "";
  const names = ["generation 0: allocations − deallocations", "generation 1: gen-0 collections", "generation 2: gen-1 collections"];
  for (let k = 0; k < 3; k++) {
    const b = el("div", "genbox"); b.dataset.gen = String(k); b.dataset.count = String(s.count[k]);
    b.title = names[k] + " since the last collection of this generation; collects at the threshold";
    b.append(el("div", "", "gc count[" + k + "] " + s.count[k] + " / " + D.thresholds[k]));
    const bar = el("div", "genbar"), fill = el("div");
    fill.style.width = Math.min(100, 100 * s.count[k] / Math.max(1, D.thresholds[k])) + "%";
    bar.append(fill); b.append(bar); g.append(b);
  }
  const m = el("div", "genbox", "blocks " + s.blocks + " · large " + s.large + " · arenas " + s.arenas);
  g.append(m);
}

function showDiagram(s, p){
  const cols = document.getElementById("cols"); cols.textContent = "";
  const byId = new Map();
  for (const k of s.objs) { const o = objects[k]; byId.set(o.id, o); }
  const before = new Set(); if (p) for (const k of p.objs) before.add(objects[k].id);
  // Frames column: one box per scope, names in order.
  const fcol = el("div", "col"); cols.append(fcol);
  const scopes = new Map();
  for (const [scope, name, id] of s.names) { if (!scopes.has(scope)) scopes.set(scope, []); scopes.get(scope).push([name, id]); }
  const edges = [];
  for (const [scope, list] of scopes) {
    const f = el("div", "frame"); f.append(el("div", "fh", scope === "global" ? "Global frame" : scope + "()"));
    for (const [name, id] of list) {
      const r = el("div", "row"); r.dataset.name = name; r.dataset.scope = scope; r.dataset.target = String(id);
      const o = byId.get(id); if (o) r.dataset.getrefcount = o.rc === null ? "immortal" : String(o.rc);
      r.append(el("span", "", name)); const d = el("span", "dot"); r.append(d); f.append(r);
      edges.push([d, id]);
    }
    fcol.append(f);
  }
  if (s.names.length === 0) fcol.append(el("div", "frame", "(no names yet)"));
  // Depth of each object: breadth first from the names.
  const depth = new Map(); const order = [];
  for (const [, , id] of s.names) if (byId.has(id) && !depth.has(id)) { depth.set(id, 1); order.push(id); }
  for (let q = 0; q < order.length; q++) {
    const o = byId.get(order[q]);
    for (const [, t] of o.slots) if (byId.has(t) && !depth.has(t)) { depth.set(t, depth.get(o.id) + 1); order.push(t); }
  }
  const colEls = [];
  for (const id of order) {
    const d = depth.get(id);
    while (colEls.length < d) { const c = el("div", "col"); cols.append(c); colEls.push(c); }
    const o = byId.get(id);
    const b = el("div", "obj g-" + o.gen + (before.has(id) ? "" : " new")); b.id = "obj" + id; b.dataset.id = String(id);
    b.append(el("div", "oh", o.ty + " #" + id));
    const gen = o.gen === "untracked" ? "untracked" : "gen " + o.gen;
    b.append(el("div", "om", (o.rc === null ? "immortal" : "getrefcount " + o.rc + " · " + gen) + " · " + o.size + " B"));
    if (o.v !== "") b.append(el("div", "ov", o.v));
    for (const [label, t] of o.slots) {
      const r = el("div", "row"); r.append(el("span", "", label));
      if (byId.has(t)) { const dd = el("span", "dot"); r.append(dd); edges.push([dd, t]); } else r.append(el("span", "", "#" + t));
      b.append(r);
    }
    if (o.more > 0) b.append(el("div", "om", "… " + o.more + " more not drawn"));
    colEls[d-1].append(b);
  }
  drawArrows(edges);
}

function drawArrows(edges){
  const svg = document.getElementById("arrows"), box = document.getElementById("diagram");
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const base = box.getBoundingClientRect();
  const sx = box.scrollLeft, sy = box.scrollTop;
  svg.setAttribute("width", String(box.scrollWidth)); svg.setAttribute("height", String(box.scrollHeight));
  const defs = document.createElementNS(SVGNS, "defs");
  const mk = document.createElementNS(SVGNS, "marker");
  mk.setAttribute("id", "ah"); mk.setAttribute("markerWidth", "8"); mk.setAttribute("markerHeight", "8");
  mk.setAttribute("refX", "7"); mk.setAttribute("refY", "4"); mk.setAttribute("orient", "auto");
  const tri = document.createElementNS(SVGNS, "path"); tri.setAttribute("d", "M0,0 L8,4 L0,8 z"); tri.setAttribute("fill", "#333");
  mk.append(tri); defs.append(mk); svg.append(defs);
  for (const [from, id] of edges) {
    const to = document.getElementById("obj" + id); if (!to) continue;
    const a = from.getBoundingClientRect(), b = to.getBoundingClientRect();
    const x1 = a.left + a.width / 2 - base.left + sx, y1 = a.top + a.height / 2 - base.top + sy;
    const x2 = b.left - base.left + sx, y2 = b.top + 10 - base.top + sy;
    const dx = Math.max(40, Math.abs(x2 - x1) / 2);
    const path = document.createElementNS(SVGNS, "path");
    path.setAttribute("d", "M" + x1 + "," + y1 + " C" + (x1 + dx) + "," + y1 + " " + (x2 - dx) + "," + y2 + " " + x2 + "," + y2);
    path.setAttribute("fill", "none"); path.setAttribute("stroke", "#333"); path.setAttribute("stroke-width", "1.3");
    path.setAttribute("marker-end", "url(#ah)"); svg.append(path);
  }
}

function showEvents(s){
  const ul = document.getElementById("events"); ul.textContent = "";
  if (s.ev.length === 0) { ul.append(el("li", "", "(nothing the allocator or the collector would report)")); return; }
  for (const e of s.ev) {
    // Pool events before arena ones: "arena 0: 12 pools emptied, …" is about pools.
    const cls = e.startsWith("collect(") ? "gc" : e.includes(" emptied, was ") ? "pool-emptied"
      : e.includes(" carved for ") ? "pool-carved" : (e.startsWith("arena ") ? "arena" : "");
    ul.append(el("li", cls, e));
  }
}

function cellsAt(i){
  let k = i; while (!steps[k].cells) k--;
  const c = steps[k].cells.slice();
  for (let j = k + 1; j <= i; j++) for (const [p, v] of steps[j].dcells) c[p] = v;
  return c;
}

function showMap(s){
  const box = document.getElementById("mapbox");
  const m = D.maps[s.map];
  if (s.map !== curMap) { box.innerHTML = m.svg; curMap = s.map; }
  box.dataset.map = String(s.map); box.dataset.arenas = String(m.arenas); box.dataset.returned = m.returned.join(",");
  const svg = box.querySelector("svg");
  const cells = cellsAt(cur);
  // Pools emptied / carved since the previous step (same map structure only): outlined in the
  // colours of their events.
  const before = (cur > 0 && steps[cur - 1].map === s.map) ? cellsAt(cur - 1) : null;
  let emptied = 0, carved = 0;
  svg.querySelectorAll("g.arena").forEach((row, r) => {
    const t = s.rows[r]; if (!t) return;
    row.querySelector("text.row-label").textContent = t[0];
    row.querySelector("text.nfp2lasta").textContent = t[1];
    const a = row.dataset.index;
    row.querySelectorAll("g.pool").forEach((g) => {
      const st = D.styles[cells[r * D.pools + Number(g.dataset.pool)]]; if (!st) return;
      const [state, fill, fo, stroke, dash, bar, count, about, used] = st;
      g.dataset.state = state; g.dataset.used = String(used);
      const b = g.querySelector("rect.box"), br = g.querySelector("rect.bar");
      b.setAttribute("fill", fill); b.setAttribute("fill-opacity", fo); b.setAttribute("stroke", stroke); b.setAttribute("stroke-dasharray", dash);
      const top = Number(b.getAttribute("y")), h = Number(b.getAttribute("height"));
      br.setAttribute("height", String(bar)); br.setAttribute("y", String(top + h - bar)); br.setAttribute("fill", fill);
      g.querySelector("text.count").textContent = count;
      const was = before ? D.styles[before[r * D.pools + Number(g.dataset.pool)]] : null;
      const change = !was ? "" : (was[8] > 0 && used === 0) ? "emptied" : (was[8] === 0 && used > 0) ? "carved" : "";
      if (change) {
        g.dataset.change = change;
        b.setAttribute("stroke", change === "emptied" ? "#e8590c" : "#0b7a75");
        b.setAttribute("stroke-width", "2.5"); b.setAttribute("stroke-dasharray", "");
        if (change === "emptied") emptied++; else carved++;
      } else { delete g.dataset.change; b.setAttribute("stroke-width", "1"); }
      g.querySelector("title").textContent = "arena " + a + " pool " + g.dataset.pool + ": " + about;
    });
  });
  document.getElementById("mapinfo").textContent = m.arenas + " arenas mapped" + (m.returned.length ? " · returned to the OS: arena " + m.returned.join(", ") : "") +
    (emptied || carved ? " · this step: " + emptied + " pools emptied, " + carved + " carved" : "");
}

// The pool drill-down: the latest text recorded for the selected pool at or before this step.
let selPool = null;
function showPool(){
  const pre = document.getElementById("pooldetail");
  if (!selPool) return;
  const [a, p] = selPool;
  for (let k = cur; k >= 0; k--) {
    for (const [pa, pp, t] of (steps[k].pt || [])) {
      if (pa === a && pp === p) {
        pre.dataset.pool = a + ":" + p; pre.dataset.step = String(k);
        pre.textContent = (k === cur ? "(changed in this step)" : "(as last changed, at step " + (k + 1) + ")") + "\n" + D.pooltexts[t].map((n) => D.poollines[n]).join("\n");
        return;
      }
    }
  }
  pre.dataset.pool = a + ":" + p; pre.dataset.step = "";
  pre.textContent = "pool " + p + " of arena " + a + ": no step up to this one changed it (the page records a pool's drill-down only in the steps that change its cell, at most 8 per step)";
}
document.getElementById("mapbox").addEventListener("click", e => {
  const g = e.target.closest("g.pool"); if (!g) return;
  const row = g.closest("g.arena");
  selPool = [Number(row.dataset.index), Number(g.dataset.pool)];
  showPool();
});
slider.addEventListener("input", () => show(Number(slider.value)));
document.getElementById("prev").addEventListener("click", () => show(cur - 1));
document.getElementById("next").addEventListener("click", () => show(cur + 1));
document.addEventListener("keydown", e => {
  if (e.target === slider && (e.key === "ArrowLeft" || e.key === "ArrowRight")) return;
  if (e.key === "ArrowRight" || e.key === "j") { show(cur + 1); e.preventDefault(); }
  else if (e.key === "ArrowLeft" || e.key === "k") { show(cur - 1); e.preventDefault(); }
  else if (e.key === "Home") { show(0); e.preventDefault(); }
  else if (e.key === "End") { show(steps.length - 1); e.preventDefault(); }
});
window.addEventListener("resize", () => show(cur));
window.pyheapTrace = { show: show, steps: steps, objects: objects, current: () => cur };
show(0);
})();
"##;
