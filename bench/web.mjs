// The browser benchmark: what a user waits for in the real built app (real worker, real Blob
// reading) in headless Chromium, each figure beside its target and beside baselines measured in
// the same run: (a) what JavaScript viewers do in the same browser (the whole file read, then
// outbox.json inflated with JSZip or with DecompressionStream, then JSON.parse; the median of
// OPENS runs), (b) the native engine (`permafrost`) on the same archive (the best of two; and once before each
// open, for the ratio of the two taken seconds apart). Prints one table and writes it, with the date, the
// machine and the browser, to bench/results/web.md. Asserts nothing: targets are reported.
//
//   node bench/web.mjs [--posts 10000,100000,300000] [--runs 1] [--media] [--out bench/results/web.md]
//
// --media adds tab memory while scrolling on an archive with 2 GB of media (10,000 posts, 2,996
// media files of 720,000 bytes, synthesized once into target/bench-archives/web-media-2gb; about
// 3 minutes more). scripts/bench-web.sh passes it when given no arguments (the full run).
//
// Every time in the app is taken inside the page (performance.now and requestAnimationFrame),
// not by polling from the driver:
// - open: from the file input's change event to the frame after the first post is in the page,
//   and to the frame after the count shows every post (fully searchable), and the page's part of
//   it, from the worker's answer (`Opened`) reaching the page to that frame; dropped 3 s after the
//   welcome screen appeared (PICK_MS: the page rehearses an open meanwhile), and also, on its
//   own row, the moment it appeared; each OPENS times (at least 3, in fresh pages): the table
//   gives the median, the notes under it every sample; up to 100,000 posts, also the same number
//   of posts as a tar.gz, as Mastodon wrote archives before 4.2 (media first, then outbox.json;
//   its own native run beside it); and in a second browser pinned to one CPU
//   (`taskset -c 0`, as on a one-core machine: the page sees one core and reads with one worker),
//   beside the native engine pinned alike;
// - keystroke: after a typist's pause (40–160 ms, seeded: the key lands anywhere in a frame),
//   the query set in the search box and its input event dispatched, to the count's answer in the
//   page (`data-search` on the count changes) and to the first animation frame after it (the
//   frame that paints it; the target applies to this one), for each of the index benchmark's
//   queries (crates/index/src/bench.rs, QUERY_MIX: words, prefixes, phrases, filters, dates,
//   negations, OR, CJK); and in which frame the result's first rows are painted: the count's,
//   the next, or later (the timeline's `data-search` says which result its rows are of). The
//   app is served cross-origin isolated, as the README asks of a host (the page then waits up
//   to a frame for a search's answer in memory it shares with the worker); its baseline is the
//   same keystrokes on a server that sends no headers (answers as messages), and their floor, the
//   same keys on a page that answers each at once (the wait for the next frame alone);
// - views: a tab clicked, to the frame after the view's content is there;
// - scrolling: the timeline scrolled by 600 px every frame for 3 s: each frame's duration (and
//   how far it went: scrolled instantly, not smoothly as the app's CSS would have it).
// Tab memory is Chromium's own figure, from its memory-infra dump (what its task manager shows as
// a tab's "memory footprint"): the private footprint (private resident + swapped memory) of the
// page's processes, i.e. the renderer hosting the page, which also runs the page's worker (the
// app has no cross-site frames, so one renderer). Found in the dump as the Renderer holding the
// worker's heap. Not counted, as they are not the page's: the browser, GPU, network, storage and
// tracing processes (shared by every tab, there with no page open; tracing only because we
// measure), the "WebUI Top Renderer" (Chromium's own UI, --top-chrome-webui) and the spare
// renderer Chromium keeps ready for the next navigation. Those are printed under the table. The
// dump collects garbage first, so garbage the collector has not reached yet is not counted. It
// is taken 0.5 s after each open timed (the table gives the median, the notes every sample).
// With --media, the same figure is sampled at the start, every ~2 s and at the end while the
// page scrolls to the end of the Media tab's grid (30 px a frame: each tile's image is read as it
// comes near and dropped as it leaves), then, in a fresh page, of the Posts timeline showing the
// posts with media (has:media; 150 px a frame). Slow enough that the images on the way get read
// (the notes give how many were decoded, and how many blob: URLs made). "Flat" is read as: grows
// at most 100 MB over the scroll. Under the table, what grew (the renderer's allocators in the
// dump) beside what the page held (<img> elements, canvases with pixels, blob: URLs alive), so
// that a failure says where to look.
//
// Needs dist/ (trunk build --release) and target/release/permafrost; scripts/bench-web.sh does both.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { chromium } from "../tools/node_modules/playwright-core/index.mjs";
import { ROOT, serve } from "../tests/e2e/harness.mjs";

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function arg(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const sizes = arg("posts", "10000,100000,300000").split(",").map(Number);
const runs = Number(arg("runs", "1"));
/// How many times each open is timed (the table gives the median), and each JS viewer's.
const OPENS = Math.max(runs, 3);
const outFile = arg("out", join(ROOT, "bench", "results", "web.md"));
const withMedia = process.argv.includes("--media");
const CLI = join(ROOT, "target", "release", "permafrost");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
/** p50, p95 and max of a list of times, and how the table shows them. */
const spread = (xs) => [percentile(xs, 50), percentile(xs, 95), Math.max(...xs)];
const shown = ([p50, p95, max]) => `p50 ${p50.toFixed(1)} / p95 ${p95.toFixed(1)} / max ${max.toFixed(1)} ms`;

/// The index benchmark's query mix, read from its source so that both benchmarks time the same.
function queryMix() {
  const source = readFileSync(join(ROOT, "crates", "index", "src", "bench.rs"), "utf8");
  const list = source.slice(source.indexOf("pub const QUERY_MIX"), source.indexOf("];", source.indexOf("pub const QUERY_MIX")));
  return [...list.matchAll(/^\s*("(?:[^"\\]|\\.)*"),\s*$/gm)].map((m) => JSON.parse(m[1]));
}

/// `posts` posts as a ZIP (Mastodon 4.2 and later) or, with `format` "tar.gz", as Mastodon wrote
/// archives before 4.2, synthesized once into target/bench-archives (the six CSV exports beside).
function archive(posts, format = "zip") {
  const dir = join(ROOT, "target", "bench-archives", format === "zip" ? `web-${posts}` : `web-tgz-${posts}`);
  const file = join(dir, `archive.${format}`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Written under another name first: a run stopped halfway leaves no truncated archive behind
    // to be taken for the real one next time.
    const partial = join(dir, `partial.${format}`);
    execFileSync(CLI, ["synth", "--posts", String(posts), "--seed", "42", "--media-bytes", "2000", "--format", format, "-o", partial], { stdio: "inherit" });
    renameSync(partial, file);
  }
  return file;
}

/// The largest archive also opened as a tar.gz: each open of 300,000 posts would take ~6 s more.
const TAR_GZ_UP_TO = 100_000;

// The archive with 2 GB of media: 10,000 posts (seed 42) hold 2,996 media files (`permafrost
// inspect` counts them), each padded to 720,000 bytes: 2.16 GB (2.01 GiB).
const MEDIA = { posts: 10_000, bytesEach: 720_000 };

function mediaArchive() {
  const dir = join(ROOT, "target", "bench-archives", "web-media-2gb");
  const file = join(dir, "archive.zip");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Written under another name first: a run stopped halfway leaves no truncated archive behind
    // to be taken for the real one next time.
    const partial = `${file}.partial`;
    execFileSync(CLI, ["synth", "--posts", String(MEDIA.posts), "--seed", "42", "--media-bytes", String(MEDIA.bytesEach), "-o", partial], { stdio: "inherit" });
    renameSync(partial, file);
  }
  const { media } = JSON.parse(execFileSync(CLI, ["inspect", "--json", file], { encoding: "utf8", maxBuffer: 1 << 26 }));
  return { file, mediaBytes: media.present * MEDIA.bytesEach };
}

/// The native engine on the same archive: open, parse and index, in a fresh process.
function native(file) {
  const best = [];
  for (let i = 0; i < Math.max(runs, 2); i++) best.push(nativeOnce(file));
  return best.sort((a, b) => a.ms - b.ms)[0];
}

/// One run of the native engine: its time and the outbox's size.
function nativeOnce(file) {
  const m = JSON.parse(execFileSync(CLI, ["bench-child", "session", file], { encoding: "utf8" }).trim().split("\n").pop());
  return { ms: m.seconds * 1000, outbox: m.outbox_bytes };
}

/// The native engine pinned to one CPU (as on a one-core machine): the median of OPENS runs.
function nativeOneCore(file) {
  const times = [];
  for (let i = 0; i < OPENS; i++) {
    const out = execFileSync("taskset", ["-c", "0", CLI, "bench-child", "session", file], { encoding: "utf8" });
    times.push(JSON.parse(out.trim().split("\n").pop()).seconds * 1000);
  }
  return median(times);
}

/// The script that starts Chromium on one CPU ([`oneCoreBrowser`]); removed at the end.
const ONE_CORE_WRAPPER = join(tmpdir(), `permafrost-bench-one-core-${process.pid}.sh`);

/// A second browser whose processes all run on one CPU (`taskset -c 0` around Chromium), as on
/// a one-core machine: its pages see `navigator.hardwareConcurrency` 1, so the app reads with one
/// worker (no inflating helper, no waiting in shared memory). `null` where taskset is missing.
async function oneCoreBrowser() {
  try {
    execFileSync("taskset", ["-c", "0", "true"]);
  } catch {
    return null;
  }
  writeFileSync(ONE_CORE_WRAPPER, `#!/bin/sh\nexec taskset -c 0 /usr/bin/chromium "$@"\n`, { mode: 0o755 });
  return chromium.launch({ executablePath: ONE_CORE_WRAPPER, args: FLAGS });
}

/// The open + index time of an archive in the one-core browser, and the cores its page saw.
async function openOnOneCore(browser, url, file, posts) {
  const { context, page, opened } = await openInNewPage(browser, url, file, posts, PICK_MS);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await context.close();
  return { ms: opened.searchable, cores };
}

/// Times `open` (an open in the app) right after one run of the native engine on the same file:
/// this machine's speed drifts by up to 1.7× over minutes (other tenants), and the ratio of the
/// two, taken seconds apart, holds where either time alone does not.
async function paired(file, open) {
  const nativeMs = nativeOnce(file).ms;
  const result = await open();
  return { ...result, nativeMs };
}

async function firstPaint(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId("dropzone").waitFor();
  const fcp = await page.evaluate(
    () =>
      new Promise((resolve) => {
        new PerformanceObserver((list) => {
          const entry = list.getEntries().find((e) => e.name === "first-contentful-paint");
          if (entry) resolve(entry.startTime);
        }).observe({ type: "paint", buffered: true });
        setTimeout(() => resolve(NaN), 2000);
      }),
  );
  await context.close();
  return fcp;
}

// The views switched to after the queries, in this order; the timeline last, as the baseline: a
// view that only shows posts it already has.
const VIEWS = [
  ["stats", "Statistics", '[data-testid="stats-total"]'],
  ["memories", "Memories", '[data-testid="on-this-day"] [data-total]'],
  ["saved", "Likes", '[data-testid="saved-count"], [data-testid="saved-missing"]'],
  ["media", "Media", '[data-testid="media-count"][data-total]'],
  ["people", "People", '[data-testid="people-count"], [data-testid="people-missing"]'],
  ["posts", "back to Posts", '[data-testid="post"]'],
];

// Memory in MB of 10^6 bytes, as the outbox's size it is compared with.
const MB = 1e6;

/// Fails after `ms` if `promise` has not settled by then: a step of the benchmark that stops
/// answering ends the run with what it was waiting for, instead of hanging it.
function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`no ${what} within ${ms / 1000} s`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/// One memory-infra dump of every process of the browser (Chromium's own metrics, as in
/// chrome://tracing): for each pid, its type ("Renderer", "Browser", "GPU Process", …), its
/// private footprint in MB, and its allocators' figures (V8, Oilpan, PartitionAlloc, caches).
/// `deterministic` collects garbage before measuring. A dump not made within a minute fails.
async function memoryDump(cdp) {
  return within(60_000, "memory dump (memory-infra)", memoryDumpOnce(cdp));
}

async function memoryDumpOnce(cdp) {
  const events = [];
  const collect = ({ value }) => events.push(...value);
  cdp.on("Tracing.dataCollected", collect);
  try {
    const complete = new Promise((done) => cdp.once("Tracing.tracingComplete", done));
    await cdp.send("Tracing.start", {
      traceConfig: { includedCategories: ["disabled-by-default-memory-infra"], memoryDumpConfig: { triggers: [] } },
      transferMode: "ReportEvents",
    });
    const { success } = await cdp.send("Tracing.requestMemoryDump", { deterministic: true, levelOfDetail: "background" });
    await cdp.send("Tracing.end");
    await complete;
    if (!success) throw new Error("memory-infra: the memory dump failed");
  } finally {
    cdp.off("Tracing.dataCollected", collect);
  }
  const processes = new Map();
  const at = (pid) => processes.get(pid) ?? processes.set(pid, { pid, type: "?", mb: NaN, allocators: {} }).get(pid);
  for (const e of events) {
    if (e.ph === "M" && e.name === "process_name") at(e.pid).type = e.args.name;
    // A process's totals and its allocators come as separate events of the same dump.
    const dump = e.ph === "v" && e.args?.dumps;
    if (!dump) continue;
    if (dump.process_totals) at(e.pid).mb = parseInt(dump.process_totals.private_footprint_bytes, 16) / MB;
    Object.assign(at(e.pid).allocators, dump.allocators ?? {});
  }
  return [...processes.values()].filter((p) => !Number.isNaN(p.mb));
}

/// The page's processes in a dump: the renderer(s) hosting the page, known by the app's worker's
/// heap (`blink_gc/workers/…`): a dedicated worker runs in its page's renderer, and only one page
/// is open while memory is measured. The spare renderer and Chromium's own WebUI renderer host
/// no worker.
function tabMemory(processes) {
  const hostsWorker = (p) => Object.keys(p.allocators).some((k) => k.startsWith("blink_gc/workers"));
  const page = processes.filter((p) => p.type === "Renderer" && hostsWorker(p));
  if (!page.length) throw new Error(`memory-infra: no renderer runs a worker (${processes.map((p) => p.type).join(", ")})`);
  return { mb: page.reduce((sum, p) => sum + p.mb, 0), page, others: processes.filter((p) => !page.includes(p)) };
}

/// An allocator's size in MB in a process's dump (0 when absent).
const allocatorMB = (process, name, attr = "size") => {
  const value = process.allocators[name]?.attrs?.[attr]?.value;
  return value ? parseInt(value, 16) / MB : 0;
};

// The page renderer's allocators in memory-infra, reported under the table when they grow over
// a scroll (the dump's names, and what each holds).
const ALLOCATORS = [
  ["partition_alloc/partitions/buffer", "Blink's byte buffers"],
  ["partition_alloc/partitions/array_buffer", "ArrayBuffers"],
  ["web_cache/Image_resources", "Blink's memory cache, images"],
  ["discardable", "decoded images"],
  ["malloc", "Chromium's C++ heap"],
  ["v8", "V8 heaps, page and workers"],
  ["blink_gc", "Blink's DOM heap"],
  ["cc", "compositor tiles"],
  ["shared_memory", "shared memory"],
];

/// Tab memory while a view scrolls to its end, in a fresh page on `file`: the Media tab's grid
/// (`tab` "media") or the Posts timeline of the posts with media ("posts"), `step` px a frame. Samples at the start,
/// every ~2 s while the page scrolls (the driver asks for dumps, the page goes on scrolling) and
/// at the end; each with the renderer's allocators and what the page holds: <img> elements and
/// blob: URLs alive (the app makes one per image it shows and revokes it when the image goes).
async function scrollMemory(browser, cdp, url, file, posts, tab, step) {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const urls = (window.__urls = { made: 0, live: new Set() });
    const [make, revoke] = [URL.createObjectURL, URL.revokeObjectURL];
    URL.createObjectURL = (object) => {
      const url = make(object);
      urls.made++;
      urls.live.add(url);
      return url;
    };
    URL.revokeObjectURL = (url) => (urls.live.delete(url), revoke(url));
    // Images the app decodes to draw into a canvas (its tiles and timeline pictures).
    const decode = window.createImageBitmap;
    window.createImageBitmap = (source, ...rest) =>
      decode(source, ...rest).then((bitmap) => (source instanceof Blob && urls.decoded++, bitmap));
    urls.decoded = 0;
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId("dropzone").waitFor();
  await page.getByTestId("file-input").setInputFiles(file);
  await page.waitForFunction((total) => document.querySelector('[data-testid="count"]')?.textContent?.includes(total), posts.toLocaleString("en-US"), {
    timeout: 900_000,
    polling: 50,
  });
  if (tab === "media") {
    await page.getByTestId("tab-media").click();
    await page.locator('[data-testid="media-count"][data-total]').waitFor();
  } else {
    // Only the posts with media: every image on the way is then read, as in the grid. (The whole
    // timeline at a fling's speed passes most images before they are read, and how many get read
    // depends on the machine.)
    const count = page.getByTestId("count");
    const before = await count.getAttribute("data-search");
    await page.getByTestId("search").fill("has:media");
    await page.waitForFunction((before) => document.querySelector('[data-testid="count"]').getAttribute("data-search") !== before, before);
    await page.getByTestId("post").first().waitFor();
  }
  await page.waitForTimeout(500);

  const samples = [];
  const started = Date.now();
  const sample = async () => {
    const { mb, page: renderers, others } = tabMemory(await memoryDump(cdp));
    // Not the tab's, but where a Blob's bytes may be kept on its behalf: watched, not counted.
    const browserMB = others.find((p) => p.type === "Browser")?.mb ?? NaN;
    const held = await page.evaluate(() => ({
      images: document.images.length,
      pictures: [...document.querySelectorAll("canvas")].filter((c) => c.width * c.height > 0).length,
      // Elements a scroll can pile up: the grid's tiles and the timeline's posts on the page.
      items: document.querySelectorAll('[data-testid="media-tile"], [data-testid="post"]').length,
      urls: window.__urls.live.size,
      made: window.__urls.made,
      decoded: window.__urls.decoded,
    }));
    const allocators = Object.fromEntries(
      ALLOCATORS.map(([name]) => [name, { size: renderers.reduce((sum, p) => sum + allocatorMB(p, name), 0), live: renderers.reduce((sum, p) => sum + allocatorMB(p, name, "allocated_objects_size"), 0) }]),
    );
    samples.push({ s: (Date.now() - started) / 1000, mb, browserMB, allocators, ...held });
  };
  await sample();
  let scrolled;
  const scrolling = page
    .evaluate(
      async ({ step, grid }) => {
        const root = document.scrollingElement;
        // Tiles drawn so far (the grid takes far months' tiles off the page: it says how many
        // it has loaded).
        const tiles = () => Number(document.querySelector('[data-testid="media-grid"]').dataset.loaded ?? 0);
        const total = grid
          ? Number(document.querySelector('[data-testid="media-count"]').getAttribute("data-total"))
          : Number(document.querySelector('[data-testid="count"]').textContent.match(/[\d,]+/)[0].replaceAll(",", ""));
        const start = performance.now();
        let [frames, still, last] = [0, 0, -1];
        for (;;) {
          // "instant": the app asks for smooth scrolling (html { scroll-behavior: smooth }), under
          // which each scrollBy would restart an animation and the page would barely move.
          window.scrollBy({ top: step, behavior: "instant" });
          // A frame, or a second without one (a page that stops drawing would otherwise hold
          // the loop here, past its time limit below).
          await new Promise((next) => {
            requestAnimationFrame(next);
            setTimeout(next, 1000);
          });
          frames++;
          // The end: the bottom, held for 30 frames (nothing more comes below) and, in the grid,
          // every tile drawn (pages of tiles are appended as the bottom comes near).
          still = root.scrollTop === last && root.scrollTop + innerHeight >= root.scrollHeight - 2 ? still + 1 : 0;
          last = root.scrollTop;
          if (still >= 30 && (!grid || tiles() >= total)) return { end: true, frames, ms: performance.now() - start, items: total };
          if (performance.now() - start > 600_000) return { end: false, frames, ms: performance.now() - start, items: total };
        }
      },
      { step, grid: tab === "media" },
    )
    .then((result) => (scrolled = result));
  while (!scrolled) {
    await Promise.race([scrolling, new Promise((done) => setTimeout(done, 2000))]);
    await sample();
  }
  await context.close();
  return { ...scrolled, samples };
}

// How long the bench leaves the welcome screen before dropping the archive, as a person takes
// seconds to find it and drag it in: the page rehearses an open with its sample archive
// meanwhile (src/worker_client.rs, `rehearse`), so that the browser has compiled the code that
// reads archives. The archive dropped the moment the page appears is measured too (`openAtOnce`).
const PICK_MS = 3000;

/**
 * Opens `file` in a new browser context, `pause` ms after the welcome screen appeared, and says
 * when the first posts and then all of them were on screen, from the drop.
 */
async function openInNewPage(browser, url, file, posts, pause) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // When the worker's answer (`Opened`) reaches the page, which splits the open into the
  // worker's part and the page's (drawing the archive's view until the count is painted).
  await page.addInitScript(() => {
    const Original = window.Worker;
    window.Worker = class extends Original {
      constructor(...args) {
        super(...args);
        this.addEventListener("message", (event) => {
          const t = window.__bench;
          if (t?.drop === undefined || t.answered !== undefined) return;
          const text = Array.isArray(event.data) ? event.data[0] : undefined;
          if (typeof text === "string" && text.startsWith('{"id":') && text.includes('"type":"Opened"')) t.answered = performance.now();
        });
      }
    };
  });
  await page.goto(url);
  await page.getByTestId("dropzone").waitFor();
  await page.waitForTimeout(pause);
  const total = posts.toLocaleString("en-US");
  // Observers first: the clock starts at the input's change event, inside the page.
  await page.evaluate((total) => {
    const t = (window.__bench = {});
    document.querySelector('[data-testid="file-input"]').addEventListener("change", () => (t.drop = performance.now()), { capture: true });
    const frame = (key) => requestAnimationFrame(() => (t[key] ??= performance.now()));
    new MutationObserver((_, observer) => {
      if (t.drop === undefined) return;
      // Posts: the opening screen's preview of the first posts read (dates and texts, shown
      // while the rest is read), or the timeline's.
      const preview = document.querySelector('[data-testid="preview"]');
      const previewed = preview && !preview.hidden && preview.querySelector("li");
      if (t.firstPostSeen === undefined && (previewed || document.querySelector('[data-testid="post"]'))) {
        t.firstPostSeen = true;
        frame("firstPost");
      }
      if (t.searchableSeen === undefined && document.querySelector('[data-testid="count"]')?.textContent?.includes(total)) {
        t.searchableSeen = true;
        frame("searchable");
      }
      if (t.firstPostSeen && t.searchableSeen) observer.disconnect();
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["hidden"] });
  }, total);
  // The archive with the six CSV exports synth writes beside it, as a user drops them (the
  // People view then has its tables).
  const dir = dirname(file);
  const csvs = readdirSync(dir).filter((n) => n.endsWith(".csv")).map((n) => join(dir, n));
  await page.getByTestId("file-input").setInputFiles([file, ...csvs]);
  await page.waitForFunction(() => window.__bench.searchable !== undefined && window.__bench.firstPost !== undefined, null, { timeout: 900_000, polling: 50 });
  const opened = await page.evaluate(() => ({
    firstPost: window.__bench.firstPost - window.__bench.drop,
    searchable: window.__bench.searchable - window.__bench.drop,
    drawn: window.__bench.searchable - window.__bench.answered,
  }));
  return { context, page, opened };
}

/**
 * The first posts' and the open + index times of an open alone, as `inApp` opens, and the tab's
 * memory after it, taken as `inApp` takes it.
 */
async function openAlone(browser, cdp, url, file, posts) {
  const { context, page, opened } = await openInNewPage(browser, url, file, posts, PICK_MS);
  await page.waitForTimeout(500);
  const memory = tabMemory(await memoryDump(cdp));
  await context.close();
  return { ...opened, memory };
}

/** The open + index time of an archive dropped as soon as the page appears (no rehearsal). */
async function openAtOnce(browser, url, file, posts) {
  const { context, opened } = await openInNewPage(browser, url, file, posts, 0);
  await context.close();
  return opened.searchable;
}

/// Types each query (see `inApp`) and times it: to the answer, to the frame that paints it, and
/// in which frame the result's first rows are painted.
function typeQueries(page, queries) {
  // Each query as one input event (a paste, or the keystroke that completes it), one after the
  // other: no two in a row are the same, so each asks the worker for a new answer. Before each, a
  // typist's pause of 40–160 ms (seeded, so every run pauses alike): a key then arrives anywhere
  // in a frame, as a user's does, not always right after a frame (which would add most of a frame
  // to every figure, whatever the app does). Two times per query, from the input event: to the
  // app's answer in the page (the count's `data-search` changes: the MutationObserver's callback)
  // and to the first animation frame after it (the frame that paints it). A query unanswered
  // after 10 s counts as 10 s.
  return page.evaluate(
    async ({ queries, seed }) => {
      const box = document.querySelector('[data-testid="search"]');
      const count = document.querySelector('[data-testid="count"]');
      // A small linear congruential generator (Numerical Recipes' constants): uniform in [0, 1).
      let state = seed >>> 0;
      const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
      const type = async (value) => {
        await new Promise((done) => setTimeout(done, 40 + 120 * random()));
        const before = count.getAttribute("data-search");
        const times = {};
        let observer, timeout;
        const painted = new Promise((done) => {
          observer = new MutationObserver(() => {
            if (count.getAttribute("data-search") === before) return;
            times.answer = performance.now();
            observer.disconnect();
            requestAnimationFrame(() => ((times.frame = sinceKey), done((times.paint = performance.now()))));
          });
          observer.observe(count, { attributes: true, attributeFilter: ["data-search"] });
          timeout = setTimeout(() => (observer.disconnect(), (times.answer ??= performance.now()), done((times.paint = performance.now()))), 10_000);
        });
        // The frames since the key: a callback asked for as the key arrives runs first in each
        // frame, so the painting frame's number is the count when the paint's callback runs.
        let sinceKey = 0;
        const count_frames = () => {
          sinceKey += 1;
          if (times.paint === undefined) requestAnimationFrame(count_frames);
        };
        requestAnimationFrame(count_frames);
        // The clock starts as the key arrives: the app's own input handler is inside the figure.
        const start = performance.now();
        box.value = value;
        box.dispatchEvent(new Event("input", { bubbles: true }));
        await painted;
        clearTimeout(timeout);
        // The result's first rows: drawn when the timeline's rows are of the count's result and
        // its first mounted row shows a post (not a placeholder), or it says there is none. Drawn
        // by the count's frame: painted with it; else the frames until the one after they are.
        const timeline = document.querySelector('[data-testid="timeline"]');
        const rowsDrawn = () => {
          if (!timeline || timeline.getAttribute("data-search") !== count.getAttribute("data-search")) return false;
          if (document.querySelector('[data-testid="no-results"]')) return true;
          const row = timeline.querySelector(".row");
          return !!row && !!row.querySelector(".post") && !row.querySelector(".post-placeholder");
        };
        let rowFrames = 0;
        if (!rowsDrawn()) {
          const waited = performance.now();
          await new Promise((done) => {
            const frame = () => {
              rowFrames += 1;
              if (rowsDrawn() || performance.now() - waited > 10_000) done();
              else requestAnimationFrame(frame);
            };
            requestAnimationFrame(frame);
          });
        }
        return { answer: times.answer - start, paint: times.paint - start, frame: times.frame, rowFrames };
      };
      const times = [];
      for (const q of queries) times.push({ query: q, ...(await type(q)) });
      await type("");
      return times;
    },
    { queries, seed: 42 },
  );
}

/// The floor under the keystroke rows: the same keys, after the same pauses, on a page that
/// answers each one at once (its input handler sets the count's `data-search`). A key still waits
/// for the next frame to be painted, 0 to 16.7 ms at 60 Hz depending on where in a frame it
/// lands, so no app can measure less than this here.
async function keystrokeFloor(browser, queries) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setContent(`<input data-testid="search"><p data-testid="count" data-search="0"></p>
    <div data-testid="timeline" data-search="0"><p data-testid="no-results"></p></div>
    <script>
      let n = 0;
      document.querySelector("input").addEventListener("input", () => {
        n += 1;
        for (const e of document.querySelectorAll("[data-search]")) e.setAttribute("data-search", String(n));
      });
    </script>`);
  const keys = await typeQueries(page, queries);
  await context.close();
  return keys;
}

async function inApp(browser, cdp, url, file, posts, queries) {
  const { context, page, opened } = await openInNewPage(browser, url, file, posts, PICK_MS);
  await page.waitForTimeout(500);
  const memory = tabMemory(await memoryDump(cdp));

  const keystrokes = await typeQueries(page, queries);

  const switchTo = (tab, ready) =>
    page.evaluate(
      async ([tab, ready]) => {
        const start = performance.now();
        document.querySelector(`[data-testid="tab-${tab}"]`).click();
        await new Promise((done) => {
          const tick = () => (document.querySelector(ready) ? done() : requestAnimationFrame(tick));
          tick();
        });
        await new Promise(requestAnimationFrame);
        return performance.now() - start;
      },
      [tab, ready],
    );
  const views = {};
  for (const [tab, , ready] of VIEWS) views[tab] = await switchTo(tab, ready);

  // Scrolling the whole timeline: every frame's duration while it moves 600 px a frame, and how
  // far it went. "instant": the app asks for smooth scrolling (html { scroll-behavior: smooth }),
  // under which each scrollBy restarts an animation and the page moved some 360 px in 3 s.
  const { frames, moved } = await page.evaluate(async () => {
    const durations = [];
    const top = document.scrollingElement.scrollTop;
    let last = performance.now();
    const end = last + 3000;
    while (performance.now() < end) {
      window.scrollBy({ top: 600, behavior: "instant" });
      const now = await new Promise(requestAnimationFrame);
      durations.push(now - last);
      last = now;
    }
    return { frames: durations, moved: document.scrollingElement.scrollTop - top };
  });
  await context.close();
  return { opened, memory, keystrokes, views, frames, moved };
}

/// The same keystrokes on a host that sends no cross-origin isolation headers: the page cannot
/// share memory with its worker, so each answer comes as a message and the page does not wait
/// for it (crates/protocol/src/handoff.rs). The baseline of the keystroke rows.
async function keysAsMessages(browser, url, file, posts, queries) {
  const { context, page } = await openInNewPage(browser, url, file, posts, PICK_MS);
  await page.waitForTimeout(500);
  if (await page.evaluate(() => crossOriginIsolated)) throw new Error("the plain server isolated the page");
  const keystrokes = await typeQueries(page, queries);
  await context.close();
  return keystrokes;
}

/// "Keep on this device", then the kept archive opened again from the welcome screen: the click on
/// Open to the count of all posts painted (no file is read but the snapshot and the ZIP's
/// directory). Also how long keeping took (copying the archive into the browser's storage).
async function reopenKept(browser, url, file, posts) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId("dropzone").waitFor();
  const total = posts.toLocaleString("en-US");
  const counted = () =>
    page.waitForFunction((total) => document.querySelector('[data-testid="count"]')?.textContent?.includes(total), total, { timeout: 900_000, polling: 50 });
  await page.getByTestId("file-input").setInputFiles(file);
  await counted();
  const keepStart = Date.now();
  await page.getByTestId("keep").click();
  await page.getByTestId("kept-state").waitFor({ timeout: 900_000 });
  const keep = Date.now() - keepStart;
  await page.getByTestId("close").click();
  await page.getByTestId("kept-open").waitFor();
  const reopen = await page.evaluate(
    (total) =>
      new Promise((done) => {
        const start = performance.now();
        new MutationObserver((_, observer) => {
          if (document.querySelector('[data-testid="count"]')?.textContent?.includes(total)) {
            observer.disconnect();
            requestAnimationFrame(() => done(performance.now() - start));
          }
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
        document.querySelector('[data-testid="kept-open"]').click();
      }),
    total,
  );
  await context.close();
  return { keep, reopen };
}

/// What JavaScript viewers do: the whole file, outbox.json inflated (JSZip, or the browser's own
/// DecompressionStream over the entry's bytes found through the ZIP's central directory), parsed.
async function jsViewer(browser, file, how) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("about:blank");
  await page.setContent('<input type="file" id="f">');
  if (how === "jszip") await page.addScriptTag({ path: join(ROOT, "tools", "node_modules", "jszip", "dist", "jszip.min.js") });
  await page.locator("#f").setInputFiles(file);
  const ms = await page.evaluate(async (how) => {
    const file = document.getElementById("f").files[0];
    const start = performance.now();
    let text;
    if (how === "jszip") {
      const zip = await JSZip.loadAsync(file);
      text = await zip.file("outbox.json").async("string");
    } else {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const view = new DataView(bytes.buffer);
      let end = bytes.length - 22;
      while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
      let at = view.getUint32(end + 16, true);
      for (;;) {
        if (view.getUint32(at, true) !== 0x02014b50) throw new Error("no outbox.json");
        const [method, size, nameLen, extraLen, commentLen, local] = [view.getUint16(at + 10, true), view.getUint32(at + 20, true), view.getUint16(at + 28, true), view.getUint16(at + 30, true), view.getUint16(at + 32, true), view.getUint32(at + 42, true)];
        const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen));
        if (name === "outbox.json") {
          const data = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
          const raw = bytes.subarray(data, data + size);
          const stream = new Blob([raw]).stream();
          text = await new Response(method === 8 ? stream.pipeThrough(new DecompressionStream("deflate-raw")) : stream).text();
          break;
        }
        at += 46 + nameLen + extraLen + commentLen;
      }
    }
    const outbox = JSON.parse(text);
    if (!outbox.orderedItems.length) throw new Error("empty");
    return performance.now() - start;
  }, how);
  await context.close();
  return ms;
}

const queries = queryMix();
// The app as the README asks a host to serve it (cross-origin isolated), and, for the keystrokes'
// baseline, as a host that sends no headers serves it.
const server = await serve();
const plain = await serve({ isolated: false });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
const oneCore = await oneCoreBrowser();
// Chromium's memory metrics come through the browser's own DevTools session (not a page's).
const cdp = await browser.newBrowserCDPSession();
// A first dump starts Chromium's tracing service, a process of its own, and its start-up kept
// both cores busy for about a second: then, under the first archive's keystrokes (a 1.1–1.5 s
// "max" at 10,000 posts only, in two runs). Started here, before anything is timed.
await memoryDump(cdp);
const browserVersion = browser.version();
const lines = [];
const notes = [];
const say = (line = "") => (console.log(line), lines.push(line));
/// Runs a part of the benchmark and says on stderr how long it took (not part of the table).
const timed = async (what, part) => {
  const start = Date.now();
  const result = await part();
  console.error(`(${what}: ${((Date.now() - start) / 1000).toFixed(0)} s)`);
  return result;
};
try {
  const paints = [];
  for (let i = 0; i < Math.max(runs, 3); i++) paints.push(await firstPaint(browser, server.url));
  say(`Welcome screen, cold (new browser context each run, median of ${paints.length}): first contentful paint ${median(paints).toFixed(0)} ms`);
  const floor = [];
  for (let i = 0; i < 3; i++) floor.push(...(await timed("keystroke floor", () => keystrokeFloor(browser, queries))));
  const floorPaints = floor.map((k) => k.paint);
  const over16 = floorPaints.filter((ms) => ms > 16).length;
  say();
  say(
    `Keystroke floor (the keystroke rows' ${queries.length} keys, 3 times, on a page that answers each at once: ` +
      `the wait for the next frame alone): painted ${shown(spread(floorPaints))}; ${over16} of ${floorPaints.length} over 16 ms`,
  );
  say();
  say(`| posts | figure | target | Permafrost | pass | JS viewer: JSZip | JS viewer: DecompressionStream | native CLI |`);
  say(`|---:|---|---|---:|:-:|---:|---:|---:|`);
  for (const posts of sizes) {
    const file = archive(posts);
    const n = posts.toLocaleString("en-US");
    const nat = await timed(`${n} posts: native CLI`, () => native(file));
    const mb = nat.outbox / 1e6;
    const app = [];
    for (let i = 0; i < runs; i++) app.push(await timed(`${n} posts: in the app`, () => paired(file, () => inApp(browser, cdp, server.url, file, posts, queries))));
    const asMessages = [];
    for (let i = 0; i < runs; i++) asMessages.push(...(await timed(`${n} posts: keystrokes, answers as messages`, () => keysAsMessages(browser, plain.url, file, posts, queries))));
    // The open is timed OPENS times (the runs above, then opens alone): one sample at 100,000
    // posts ranged over ±7% from run to run on this machine.
    const opens = app.map((a) => ({ ...a.opened, memory: a.memory, nativeMs: a.nativeMs }));
    while (opens.length < OPENS) opens.push(await timed(`${n} posts: open again`, () => paired(file, () => openAlone(browser, cdp, server.url, file, posts))));
    const atOnce = [];
    for (let i = 0; i < OPENS; i++) atOnce.push(await timed(`${n} posts: dropped at once`, () => openAtOnce(browser, server.url, file, posts)));
    const base = {};
    for (const how of ["jszip", "stream"]) {
      const times = [];
      for (let i = 0; i < OPENS; i++) times.push(await timed(`${n} posts: JS viewer (${how})`, () => jsViewer(browser, file, how).catch(() => NaN)));
      base[how] = median(times);
    }
    const row = (figure, target, value, pass, jszip = "", stream = "", cli = "") =>
      say(`| ${posts.toLocaleString("en-US")} | ${figure} | ${target} | ${value} | ${pass === undefined ? "" : pass ? "pass" : "FAIL"} | ${jszip} | ${stream} | ${cli} |`);
    const ms = (x) => (Number.isNaN(x) ? "fails" : `${x.toFixed(0)} ms`);
    const rate = (x) => (Number.isNaN(x) ? "fails" : `${(mb / (x / 1000)).toFixed(0)} MB/s`);
    const searchable = median(opens.map((o) => o.searchable));
    const firstPost = median(opens.map((o) => o.firstPost));
    notes.push(`${n} posts, each open + index (ms): ${opens.map((o) => o.searchable.toFixed(0)).join(", ")}; dropped at once: ${atOnce.map((x) => x.toFixed(0)).join(", ")}.`);
    row(`open + index (${mb.toFixed(0)} MB of outbox.json; dropped ${PICK_MS / 1000} s after the page appeared; median of ${opens.length})`, "≥ 150 MB/s", `${ms(searchable)}, ${rate(searchable)}`, mb / (searchable / 1000) >= 150, `${ms(base.jszip)}, ${rate(base.jszip)}`, `${ms(base.stream)}, ${rate(base.stream)}`, `${ms(nat.ms)}, ${rate(nat.ms)}`);
    // Each open over the native run just before it: the figure that holds when the machine's
    // speed drifts (the pass above is judged on the time alone, as the target is).
    const ratios = opens.map((o) => o.searchable / o.nativeMs);
    row(`open + index ÷ the native CLI run just before each open (paired; median of ${opens.length})`, "", `${median(ratios).toFixed(2)} ×`);
    notes.push(`${n} posts, each open beside the native run just before it (ms): ${opens.map((o) => `${o.searchable.toFixed(0)} / ${o.nativeMs.toFixed(0)}`).join(", ")}.`);
    // The page's part of it: from the worker's answer to the count painted (drawing the
    // archive's view, and the first search's round trip).
    const drawn = opens.map((o) => o.drawn);
    row(`open + index: the page's part (the worker's answer → the count painted; median of ${opens.length})`, "", ms(median(drawn)));
    notes.push(`${n} posts, each open's part in the page (ms): ${drawn.map((x) => x.toFixed(0)).join(", ")}.`);
    const cold = median(atOnce);
    row(`open + index, dropped the moment the page appeared (before its rehearsal)`, "", `${ms(cold)}, ${rate(cold)}`);
    if (posts <= TAR_GZ_UP_TO) {
      const tgz = archive(posts, "tar.gz");
      const natTgz = await timed(`${n} posts: native CLI, tar.gz`, () => native(tgz));
      const tgzOpens = [];
      for (let i = 0; i < OPENS; i++) {
        tgzOpens.push(
          await timed(`${n} posts: tar.gz in the app`, async () => {
            const { context, opened } = await openInNewPage(browser, server.url, tgz, posts, PICK_MS);
            await context.close();
            return opened.searchable;
          }),
        );
      }
      const tgzMs = median(tgzOpens);
      const tgzMb = natTgz.outbox / 1e6;
      const tgzRate = (x) => `${(tgzMb / (x / 1000)).toFixed(0)} MB/s`;
      row(
        `open + index of the same number of posts as a tar.gz (Mastodon before 4.2: media first, then ${tgzMb.toFixed(0)} MB of outbox.json; median of ${OPENS})`,
        "≥ 150 MB/s",
        `${ms(tgzMs)}, ${tgzRate(tgzMs)}`,
        tgzMb / (tgzMs / 1000) >= 150,
        "",
        "",
        `${ms(natTgz.ms)}, ${tgzRate(natTgz.ms)}`,
      );
      notes.push(`${n} posts as a tar.gz, each open + index (ms): ${tgzOpens.map((x) => x.toFixed(0)).join(", ")}.`);
    }
    if (oneCore) {
      // The issue's "never slower than the one-core path on a one-core machine": on one CPU the
      // page reads with one worker; beside it, the native engine on one CPU (it always uses one).
      const single = [];
      for (let i = 0; i < OPENS; i++) single.push(await timed(`${n} posts: on one core`, () => openOnOneCore(oneCore, server.url, file, posts)));
      const one = median(single.map((o) => o.ms));
      const nativeOne = await timed(`${n} posts: native CLI on one core`, () => nativeOneCore(file));
      const seen = [...new Set(single.map((o) => o.cores))].join(", ");
      row(
        `open + index on one core (the browser and the native CLI pinned to one CPU: the page saw ${seen} core${seen === "1" ? "" : "s"}; median of ${single.length}; ÷ the two-core open above)`,
        "",
        `${ms(one)}, ${rate(one)}; ${(one / searchable).toFixed(2)} ×`,
        undefined,
        "",
        "",
        `${ms(nativeOne)}, ${rate(nativeOne)}`,
      );
      notes.push(`${n} posts, each open on one core (ms): ${single.map((o) => o.ms.toFixed(0)).join(", ")}.`);
    }
    row("first posts on screen after the drop", "≤ 300 ms", ms(firstPost), firstPost <= 300);
    const keys = app.flatMap((a) => a.keystrokes);
    const answered = spread(keys.map((k) => k.answer));
    const painted = spread(keys.map((k) => k.paint));
    const typed = `${queries.length} queries × ${runs}, each after a 40–160 ms pause`;
    row(`keystroke → count answered in the page (${typed})`, "", shown(answered));
    row(`keystroke → painted count (the first frame after the answer)`, "p95 ≤ 16 ms, max ≤ 50 ms", shown(painted), painted[1] <= 16 && painted[2] <= 50);
    row(`keystroke → painted count, the baseline: served without the isolation headers (answers as messages, the page not waiting)`, "", shown(spread(asMessages.map((k) => k.paint))));
    // The same paints counted in frames: the wait for the next frame (0 to 16.7 ms at 60 Hz,
    // wherever in a frame the key lands) is in the figure above whatever the app does.
    const byFrame = (keys) => {
      const inFrame = [1, 2].map((f) => keys.filter((k) => k.frame === f).length);
      return `first: ${inFrame[0]}, second: ${inFrame[1]}, later: ${keys.length - inFrame[0] - inFrame[1]} of ${keys.length}`;
    };
    row(`keystroke → painted count, in frames from the key (the first frame the browser draws after it, the second, later)`, "", `${byFrame(keys)}; as messages: ${byFrame(asMessages)}`);
    const rowFrames = [0, 1].map((f) => keys.filter((k) => k.rowFrames === f).length);
    const later = keys.length - rowFrames[0] - rowFrames[1];
    row(`keystroke → the result's first rows painted (in frames after the count's)`, "the count's frame or the next", `same: ${rowFrames[0]}, next: ${rowFrames[1]}, later: ${later} of ${keys.length}`, later === 0);
    // Where the keystroke's tail is: its slowest queries, to the answer and to the paint.
    const slowest = [...keys].sort((a, b) => b.paint - a.paint).slice(0, 5);
    notes.push(
      `${n} posts, the slowest keystrokes (painted; answered): ${slowest.map((k) => `\`${k.query}\` ${k.paint.toFixed(1)}; ${k.answer.toFixed(1)} ms`).join(", ")}.`,
    );
    // After each open (one sample at 10,000 posts ranged from 101 to 134 MB from run to run).
    const memory = median(opens.map((o) => o.memory.mb));
    const budget = 1.2 * mb + 100;
    row(`tab memory after opening (the page's renderer, private footprint; median of ${opens.length})`, `≤ 1.2 × outbox + 100 MB = ${budget.toFixed(0)} MB`, `${memory.toFixed(0)} MB`, memory <= budget);
    notes.push(`${n} posts, tab memory 0.5 s after each open (MB): ${opens.map((o) => o.memory.mb.toFixed(0)).join(", ")}.`);
    // What is left out, so that the figure can be checked against the whole browser.
    const { others } = app[0].memory;
    notes.push(
      `${posts.toLocaleString("en-US")} posts, memory-infra after opening: the page's renderer ${app[0].memory.mb.toFixed(0)} MB is counted; ` +
        `not counted (not the page's): ${others
          .sort((a, b) => b.mb - a.mb)
          .map((p) => `${p.type === "Renderer" ? "another Renderer (no page: the spare)" : p.type.replace(/^Service: (\w+)\.mojom\.\w+$/, "$1 service")} ${p.mb.toFixed(0)}`)
          .join(", ")} MB.`,
    );
    const frames = app.flatMap((a) => a.frames);
    const [f95, fmax] = [percentile(frames, 95), Math.max(...frames)];
    // At 60 Hz a frame lasts 16.7 ms: "p95 ≤ 16 ms" means no frame dropped, allowing for jitter.
    row(`scrolling the timeline (${frames.length} frames, ${median(app.map((a) => a.moved)).toLocaleString("en-US")} px)`, "p95 ≤ 16 ms, max ≤ 50 ms", `p95 ${f95.toFixed(1)} / max ${fmax.toFixed(1)} ms`, f95 <= 17 && fmax <= 50);
    row("switching views (click → content painted)", "", VIEWS.map(([tab, label]) => `${label} ${median(app.map((a) => a.views[tab])).toFixed(0)}`).join(", ") + " ms");
    const kept = [];
    for (let i = 0; i < runs; i++) kept.push(await timed(`${n} posts: keep and reopen`, () => reopenKept(browser, server.url, file, posts)));
    const reopen = median(kept.map((k) => k.reopen));
    row(
      `reopen a kept archive (click → all posts counted; beside it, the fresh open above; keeping took ${(median(kept.map((k) => k.keep)) / 1000).toFixed(1)} s)`,
      posts <= 100_000 ? "≤ 1 s" : "",
      `${ms(reopen)} (fresh: ${ms(searchable)})`,
      posts <= 100_000 ? reopen <= 1000 : undefined,
    );
  }
  if (withMedia) {
    const { file, mediaBytes } = mediaArchive();
    const label = `${MEDIA.posts.toLocaleString("en-US")} (${(mediaBytes / 1e9).toFixed(2)} GB of media)`;
    for (const [tab, view, unit, step] of [
      ["media", "the Media tab's grid", "tiles", 30],
      ["posts", "the Posts timeline (has:media)", "posts", 150],
    ]) {
      const r = await timed(`scrolling ${view} (${label})`, () => scrollMemory(browser, cdp, server.url, file, MEDIA.posts, tab, step));
      const mbs = r.samples.map((x) => x.mb);
      const [start, end] = [mbs[0], mbs.at(-1)];
      const top = r.samples.reduce((a, b) => (b.mb > a.mb ? b : a));
      const how = `${r.items.toLocaleString("en-US")} ${unit}, ${step} px a frame, ${r.frames.toLocaleString("en-US")} frames in ${(r.ms / 1000).toFixed(0)} s, ${r.samples.length} samples`;
      say(
        `| ${label} | tab memory while scrolling ${view} to its end (${how}) | flat: grows ≤ 100 MB over the scroll | ` +
          `start ${start.toFixed(0)} / max ${top.mb.toFixed(0)} / end ${end.toFixed(0)} MB${r.end ? "" : ` (stopped after ${(r.ms / 1000).toFixed(0)} s, before the end)`} | ` +
          `${r.end && top.mb - start <= 100 ? "pass" : "FAIL"} |  |  |  |`,
      );
      // What grew between the start and the largest sample, beside what the page held.
      const first = r.samples[0].allocators;
      const grew = ALLOCATORS.filter(([name]) => top.allocators[name].size - first[name].size >= 10).map(
        ([name, what]) =>
          `${name} (${what}) ${first[name].size.toFixed(0)} → ${top.allocators[name].size.toFixed(0)} MB` +
          (top.allocators[name].live ? ` (in live objects: ${top.allocators[name].live.toFixed(0)} MB)` : ""),
      );
      const most = (key) => Math.max(...r.samples.map((x) => x[key]));
      // Whether it climbs all along (a leak) or levels off (held up to some bound).
      const later = r.samples.slice(Math.floor(r.samples.length / 2)).map((x) => x.mb);
      notes.push(
        `Scrolling ${view}: ${(top.mb - start).toFixed(0)} MB more than at the start at its largest (after ${top.s.toFixed(0)} s); ` +
          `over the scroll's second half, between ${Math.min(...later).toFixed(0)} and ${Math.max(...later).toFixed(0)} MB` +
          `${grew.length ? `; grown in the page's renderer: ${grew.join(", ")}` : ""}. Meanwhile the page held at most ` +
          `${most("items")} ${unit} on the page, ${most("images")} <img> elements, ${most("pictures")} canvases with pixels and ${most("urls")} blob: URLs alive ` +
          `(${r.samples.at(-1).made.toLocaleString("en-US")} URLs made and ${r.samples.at(-1).decoded.toLocaleString("en-US")} images decoded for a canvas over the scroll). ` +
          `Not counted, outside the tab: the browser process (which stores Blobs) went from ${r.samples[0].browserMB.toFixed(0)} MB to at most ${most("browserMB").toFixed(0)} MB.`,
      );
    }
  }
  say();
  for (const note of notes) say(`- ${note}`);
  if (!withMedia) {
    say();
    say("Not measured in this run (--media): memory while scrolling media on an archive with 2 GB of media.");
  }
} finally {
  await browser.close();
  await oneCore?.close();
  rmSync(ONE_CORE_WRAPPER, { force: true });
  await server.stop();
  await plain.stop();
}

const cpu = cpus();
const version = `Chromium ${browserVersion}`;
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(
  outFile,
  [
    "# Browser benchmark",
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at commit ${commit} by \`scripts/bench-web.sh --posts ${sizes.join(",")} --runs ${runs}${withMedia ? " --media" : ""}\`,`,
    `on ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, headless ${version}.`,
    "",
    ...lines,
    "",
  ].join("\n"),
);
console.log(`\nwritten to ${outFile}`);
