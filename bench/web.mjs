// The browser benchmark: cold first paint of the welcome screen, and how long a synthetic archive
// takes to become fully searchable in the app, beside a baseline measured in the same run and the
// same browser: reading the archive the way the leading in-browser peer does (JSZip.loadAsync on
// the whole file, then JSON.parse of outbox.json). Prints a table; asserts nothing.
//
//   node bench/web.mjs [--posts 10000,100000] [--runs 3]
//
// Needs dist/ (trunk build --release) and target/release/permafrost; scripts/bench-web.sh does both.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
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

const sizes = arg("posts", "10000").split(",").map(Number);
const runs = Number(arg("runs", "3"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function archive(posts) {
  const dir = join(ROOT, "target", "bench-archives", `web-${posts}`);
  const file = join(dir, "archive.zip");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    execFileSync(join(ROOT, "target", "release", "permafrost"), ["synth", "--posts", String(posts), "--seed", "42", "--media-bytes", "2000", "-o", file], { stdio: "inherit" });
  }
  return file;
}

async function firstPaint(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const start = Date.now();
  await page.goto(url);
  await page.getByTestId("dropzone").waitFor();
  const visible = Date.now() - start;
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
  return { fcp, visible };
}

// The views switched to after the query, in this order, each timed from the click on its tab to
// the frame after its content (the selector) is there; the timeline last, as the baseline: a
// view that only shows posts it already has.
const VIEWS = [
  ["stats", "to Statistics", '[data-testid="stats-total"]'],
  ["memories", "to Memories", '[data-testid="on-this-day"] [data-total]'],
  ["saved", "to Likes", '[data-testid="saved-count"], [data-testid="saved-missing"]'],
  ["media", "to Media", '[data-testid="media-count"][data-total]'],
  ["people", "to People", '[data-testid="people-count"], [data-testid="people-missing"]'],
  ["posts", "back to Posts", '[data-testid="post"]'],
];

async function openInApp(browser, url, file, posts) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId("dropzone").waitFor();
  const count = page.getByTestId("count");
  const start = Date.now();
  // The archive with the six CSV exports synth writes beside it, as a user drops them (the
  // People view then has its tables).
  const dir = dirname(file);
  const csvs = readdirSync(dir).filter((n) => n.endsWith(".csv")).map((n) => join(dir, n));
  await page.getByTestId("file-input").setInputFiles([file, ...csvs]);
  const total = posts.toLocaleString("en-US");
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="count"]')?.textContent?.includes(want),
    total,
    { timeout: 600_000, polling: 20 },
  );
  const searchable = Date.now() - start;
  // One query typed after opening: the time until the status shows its new count.
  const before = await count.textContent();
  const typed = Date.now();
  await page.getByTestId("search").fill("has:media -has:alt");
  await page.waitForFunction((old) => document.querySelector('[data-testid="count"]')?.textContent !== old, before, { polling: 5 });
  const query = Date.now() - typed;
  // Switching views over that query, timed inside the page (click to the frame after the view's
  // content is there): to Statistics, and back to the timeline (the baseline: a view that only
  // shows posts it already has).
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
  await context.close();
  return { searchable, query, views };
}

async function baseline(browser, file) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("about:blank");
  await page.setContent('<input type="file" id="f">');
  await page.addScriptTag({ path: join(ROOT, "tools", "node_modules", "jszip", "dist", "jszip.min.js") });
  await page.locator("#f").setInputFiles(file);
  const ms = await page.evaluate(async () => {
    const file = document.getElementById("f").files[0];
    const start = performance.now();
    const zip = await JSZip.loadAsync(file);
    const outbox = JSON.parse(await zip.file("outbox.json").async("string"));
    const actor = JSON.parse(await zip.file("actor.json").async("string"));
    if (!outbox.orderedItems.length || !actor.id) throw new Error("empty");
    return performance.now() - start;
  });
  await context.close();
  return ms;
}

const server = await serve();
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
try {
  const paints = [];
  for (let i = 0; i < runs; i++) paints.push(await firstPaint(browser, server.url));
  console.log(`Welcome screen, cold (new browser context each run, median of ${runs}): first contentful paint ${median(paints.map((p) => p.fcp)).toFixed(0)} ms, drop zone visible ${median(paints.map((p) => p.visible))} ms after navigation`);
  console.log();
  console.log(`Open a synthetic archive until fully searchable (median of ${runs}), beside the baseline (JSZip.loadAsync + JSON.parse of outbox.json)`);
  console.log(`${"posts".padStart(8)} ${"archive MB".padStart(11)} | ${"Permafrost ms".padStart(14)} ${"then a query ms".padStart(16)} | ${"baseline ms".padStart(12)} | ${"ratio".padStart(6)} | ${VIEWS.map(([, label]) => `${label} ms`.padStart(17)).join(" ")}`);
  for (const posts of sizes) {
    const file = archive(posts);
    let failed = null;
    const app = [];
    const base = [];
    for (let i = 0; i < runs; i++) {
      app.push(await openInApp(browser, server.url, file, posts));
      // The baseline cannot open every archive: JavaScript strings stop at about 512 MB.
      base.push(await baseline(browser, file).catch((e) => (failed = e.message.split("\n")[0], NaN)));
    }
    const ours = median(app.map((a) => a.searchable));
    const theirs = median(base);
    const [them, ratio] = Number.isNaN(theirs) ? ["fails", "-"] : [theirs.toFixed(0), `${(theirs / ours).toFixed(2)}x`];
    console.log(
      `${String(posts).padStart(8)} ${(statSync(file).size / 1e6).toFixed(1).padStart(11)} | ${String(ours).padStart(14)} ${String(median(app.map((a) => a.query))).padStart(16)} | ${them.padStart(12)} | ${ratio.padStart(6)} | ${VIEWS.map(([tab]) => median(app.map((a) => a.views[tab])).toFixed(0).padStart(17)).join(" ")}`,
    );
    if (failed) console.log(`${"".padStart(8)} the baseline could not open it: ${failed}`);
  }
} finally {
  await browser.close();
  await server.stop();
}
