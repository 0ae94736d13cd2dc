// Drives a `pyheap trace` page in headless Chromium (playwright-core, the system's chromium)
// and checks what a learner relies on. Run by tests/browser_trace.rs, which installs
// playwright-core and passes:
//   node trace_page.mjs PAGE.html SHOTS_DIR CHROMIUM PROFILE_DIR '{"rc_x":[2,3]}'
// Prints one line per check; exits 1 on the first failed check.
import { chromium } from "playwright-core";

const [page_path, shots, exe, profile, expected_json] = process.argv.slice(2);
const expected = JSON.parse(expected_json);
const fail = (msg) => { console.log("FAIL " + msg); process.exitCode = 1; throw new Error(msg); };
const ok = (msg) => console.log("ok   " + msg);

const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: exe,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1500, height: 1100 },
});
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  const requests = [];
  page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
  const t0 = Date.now();
  await page.goto("file://" + page_path, { waitUntil: "load" });
  console.log(`info page loaded and first step drawn in ${Date.now() - t0} ms`);

  const steps = await page.evaluate(() => window.pyheapTrace.steps.map((s) => ({
    line: s.line, names: s.names, ev: s.ev, arenas: s.arenas, fn: s.fn })));
  if (steps.length < 3) fail(`only ${steps.length} steps`);
  const curLine = () => page.evaluate(() => {
    const c = document.querySelectorAll(".ln.cur");
    return c.length === 1 ? Number(c[0].dataset.line) : -c.length;
  });

  // 1. The slider moves the highlighted line.
  const a = steps.findIndex((s) => s.line > 0);
  const b = steps.findIndex((s, i) => i > a && s.line > 0 && s.line !== steps[a].line);
  for (const i of [a, b]) {
    await page.evaluate((i) => {
      const s = document.getElementById("slider");
      s.value = String(i);
      s.dispatchEvent(new Event("input"));
    }, i);
    const got = await curLine();
    if (got !== steps[i].line) fail(`slider at step ${i}: highlighted line ${got}, want ${steps[i].line}`);
  }
  ok(`slider: step ${a} highlights line ${steps[a].line}, step ${b} line ${steps[b].line}`);
  // Keys: → moves one step.
  await page.focus("body");
  await page.keyboard.press("ArrowRight");
  const after = await page.evaluate(() => window.pyheapTrace.current());
  if (after !== b + 1) fail(`ArrowRight from step ${b} went to ${after}`);
  ok("ArrowRight moves to the next step");
  await page.screenshot({ path: shots + "/trace-step.png", fullPage: true });

  // 2. The refcount shown for `x` after each `print(sys.getrefcount(x))` is the printed one.
  const printLines = expected.print_lines;
  for (let k = 0; k < printLines.length; k++) {
    const line = printLines[k];
    const i = steps.findIndex((s, j) => j > 0 && steps[j - 1].line === line && s.fn === "<module>");
    if (i < 0) fail(`no step after line ${line}`);
    await page.evaluate((i) => window.pyheapTrace.show(i), i);
    const shown = await page.evaluate(() => {
      const r = document.querySelector('#cols .row[data-name="x"][data-scope="global"]');
      return r ? r.dataset.getrefcount : null;
    });
    if (shown !== String(expected.rc_x[k]))
      fail(`after line ${line}: page shows getrefcount(x) = ${shown}, the program printed ${expected.rc_x[k]}`);
    ok(`after line ${line}: getrefcount(x) = ${shown}, as printed`);
  }

  // 3. The occupancy map changes when an arena is returned.
  const r = steps.findIndex((s) => s.ev.some((e) => /returned to the OS/.test(e)));
  if (r < 1) fail("no step returns an arena");
  const mapAt = (i) => page.evaluate((i) => {
    window.pyheapTrace.show(i);
    const box = document.getElementById("mapbox");
    return { arenas: Number(box.dataset.arenas), rows: box.querySelectorAll("g.arena").length,
      ghosts: box.querySelectorAll("g.returned").length, svg: box.innerHTML.length };
  }, i);
  const before = await mapAt(r - 1), at = await mapAt(r);
  if (!(at.arenas < before.arenas && at.rows < before.rows && at.ghosts > before.ghosts))
    fail(`occupancy map at step ${r} (${JSON.stringify(at)}) vs ${r - 1} (${JSON.stringify(before)})`);
  ok(`step ${r}: an arena is returned; map rows ${before.rows} → ${at.rows}, ghost rows ${before.ghosts} → ${at.ghosts}`);
  await page.evaluate(() => document.getElementById("mapbox").scrollIntoView());
  await page.screenshot({ path: shots + "/trace-returned.png", fullPage: true });

  // 3b. A step that empties pools outlines exactly those pools in the emptied colour, and
  // colours its event the same way.
  const e = steps.findIndex((s, j) => j > 0 && steps[j - 1].map === s.map &&
    s.ev.some((t) => / emptied, was /.test(t)));
  if (e < 1) fail("no step empties a pool");
  const em = await page.evaluate((i) => {
    window.pyheapTrace.show(i);
    const cells = document.querySelectorAll('#mapbox g.pool[data-change="emptied"]');
    const ev = document.querySelector("#events li.pool-emptied");
    const stroke = cells.length ? cells[0].querySelector("rect.box").getAttribute("stroke") : null;
    return { cells: cells.length, ev: ev ? getComputedStyle(ev).color : null, stroke,
      empty: [...cells].every((c) => c.dataset.used === "0") };
  }, e);
  const want = steps[e].ev.filter((t) => / emptied, was /.test(t))
    .map((t) => { const m = /: (\d+) pools emptied/.exec(t); return m ? Number(m[1]) : 1; })
    .reduce((a, b) => a + b, 0);
  if (em.cells !== want || !em.empty || em.stroke !== "#e8590c" || em.ev !== "rgb(232, 89, 12)")
    fail(`step ${e}: ${JSON.stringify(em)}, events say ${want} pools emptied`);
  ok(`step ${e}: ${em.cells} pools emptied, outlined and listed in the emptied colour`);

  // 3c. Clicking an emptied pool opens its drill-down of that step (as `pyheap map --pool`):
  // the header fields of an empty pool, every block free-listed or never carved.
  const pd = await page.evaluate((i) => {
    window.pyheapTrace.show(i);
    const rec = new Set((window.pyheapTrace.steps[i].pt || []).map(([a, p]) => a + ":" + p));
    const cell = [...document.querySelectorAll('#mapbox g.pool[data-change="emptied"]')]
      .find((g) => rec.has(g.closest("g.arena").dataset.index + ":" + g.dataset.pool));
    if (!cell) return null;
    cell.querySelector("rect.box").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    const pre = document.getElementById("pooldetail");
    return { id: cell.closest("g.arena").dataset.index + ":" + cell.dataset.pool,
      shown: pre.dataset.pool, step: pre.dataset.step, text: pre.textContent };
  }, e);
  if (!pd) fail(`step ${e}: no emptied pool has a recorded drill-down`);
  if (pd.shown !== pd.id || pd.step !== String(e) || !/changed in this step/.test(pd.text) ||
      !/header fields/.test(pd.text) || !/ref\.count\s+0\b/.test(pd.text) || !/blocks: 0 in use/.test(pd.text))
    fail(`step ${e}: pool drill-down ${JSON.stringify(pd)}`);
  ok(`step ${e}: clicking pool ${pd.id} shows its drill-down (ref.count 0, no block in use)`);
  // One step later the same pool shows the text it was last changed with, and says so.
  const later = await page.evaluate((i) => { window.pyheapTrace.show(i);
    const pre = document.getElementById("pooldetail"); return { step: pre.dataset.step, text: pre.textContent }; }, e + 1);
  if (!(later.step === String(e) || later.step === String(e + 1)))
    fail(`step ${e + 1}: pool drill-down ${JSON.stringify(later)}`);
  await page.evaluate(() => document.getElementById("pooldetail").scrollIntoView());
  await page.screenshot({ path: shots + "/trace-pool.png", fullPage: true });

  // 4. No console errors, no network.
  if (errors.length) fail("console errors: " + errors.join(" | "));
  if (requests.length) fail("network requests: " + requests.join(" "));
  ok("no console errors, no network requests");
} finally {
  await ctx.close();
}
