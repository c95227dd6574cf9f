// Shared set-up for the end-to-end tests: serve dist/ on 127.0.0.1, start Debian's Chromium with
// the closed-network flags, log every request and every console message, and give page objects.
//
// Every request is checked: only files of the page's own origin may be fetched (the app's files,
// and the sample archive), and everything else is aborted and reported as a failure.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "../../tools/node_modules/playwright-core/index.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DATA = join(ROOT, "tests", "e2e", "data");
export const RESULTS = join(ROOT, "test-results");

export const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * Serves dist/ (or $PERMAFROST_DIST, or `dist`) on 127.0.0.1 with Python's static server
 * (tests/e2e/serve.py), cross-origin isolated as the README asks of a host, or `isolated: false`:
 * a host that sends no headers.
 */
export async function serve({ dist, isolated = true } = {}) {
  if (process.env.PERMAFROST_URL && !dist && isolated) {
    return { url: process.env.PERMAFROST_URL, stop: async () => {} };
  }
  const port = await freePort();
  dist ??= process.env.PERMAFROST_DIST ?? join(ROOT, "dist");
  const child = spawn(
    "python3",
    [join(ROOT, "tests", "e2e", "serve.py"), String(port), dist, ...(isolated ? [] : ["--plain"])],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(url);
      if (response.ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: async () => {
      child.kill();
    },
  };
}

/**
 * Starts the browser on the app. Returns the page, the page object, and the logs the checks use:
 * `requests` (every URL asked for), `foreign` (requests to anywhere but the app's origin, which are
 * aborted) and `errors` (console errors and uncaught exceptions, from the page and its workers).
 *
 * The service worker (offline use) is blocked unless `serviceWorkers: "allow"` (or
 * PERMAFROST_SERVICE_WORKERS=allow, to run any test with it): each test starts a fresh browser,
 * and would otherwise download the whole app a second time into its cache.
 * tests/e2e/offline.test.mjs tests it. `dist` serves another folder than dist/; `isolated: false`
 * serves it without the cross-origin isolation headers.
 */
export async function open({
  width = 1280,
  height = 900,
  locale = "en-US",
  serviceWorkers = process.env.PERMAFROST_SERVICE_WORKERS ?? "block",
  dist,
  isolated = true,
} = {}) {
  const server = await serve({ dist, isolated });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
  const context = await browser.newContext({
    serviceWorkers,
    viewport: { width, height },
    // English unless a test asks for another language (tests/e2e/i18n.test.mjs): the other
    // tests read the English interface.
    locale,
    timezoneId: "Europe/Paris",
    reducedMotion: "reduce",
  });
  const origin = new URL(server.url).origin;
  const requests = [];
  const foreign = [];
  const errors = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    requests.push(url);
    const allowed = url.startsWith(origin + "/") || url.startsWith("blob:") || url.startsWith("data:");
    if (allowed) return route.continue();
    foreign.push(url);
    return route.abort("blockedbyclient");
  });
  context.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(origin + "/") && !url.startsWith("blob:") && !url.startsWith("data:")) {
      if (!foreign.includes(url)) foreign.push(url);
    }
  });
  const page = await context.newPage();
  const watch = (source, target) => {
    target.on("console", (message) => {
      if (message.type() === "error") errors.push(`${source}: ${message.text()}`);
    });
  };
  watch("page", page);
  page.on("pageerror", (error) => errors.push(`page exception: ${error.message}`));
  page.on("worker", (worker) => watch("worker", worker));
  await page.goto(server.url);
  await page.getByTestId("dropzone").waitFor();
  return {
    page,
    context,
    server,
    app: new App(page),
    requests,
    foreign,
    errors,
    origin,
    close: async () => {
      await browser.close();
      await server.stop();
    },
  };
}

/** Saves a screenshot under test-results/ (kept as a CI artifact). */
export async function screenshot(page, name, options = {}) {
  mkdirSync(RESULTS, { recursive: true });
  const take = () => page.screenshot({ path: join(RESULTS, `${name}.png`), ...options });
  // Chromium now and then answers a capture on a busy machine with "Unable to capture
  // screenshot" (seen once in CI on a tall page): a screenshot is for people to look at, not
  // an assertion, so it is taken again once before the test fails.
  await take().catch(async (e) => {
    if (!/Unable to capture screenshot/.test(e.message)) throw e;
    await page.waitForTimeout(500);
    await take();
  });
}

/**
 * Screenshots of what is shown at desktop and phone widths, in the light and the dark theme
 * (`NAME-1280-light.png`…), failing when the page is wider than the window at any of them.
 */
export async function screenshotsInBothThemes(assert, page, name) {
  for (const [width, height] of [[1280, 900], [360, 800]]) {
    await page.setViewportSize({ width, height });
    for (const theme of ["light", "dark"]) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px, ${theme}: the page is ${overflow}px too wide`);
      await screenshot(page, `${name}-${width}-${theme}`, { fullPage: true });
    }
  }
  await page.evaluate(() => (document.documentElement.dataset.theme = "system"));
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The app, as a test sees it. */
export class App {
  constructor(page) {
    this.page = page;
  }

  /** Chooses files with the file picker. */
  async pick(...names) {
    await this.page.getByTestId("file-input").setInputFiles(names.map((n) => join(DATA, n)));
  }

  /** Drops files on the drop zone: `files` are names in tests/e2e/data or `{ name, bytes }`. */
  async drop(...files) {
    await this.dropOn(this.page.getByTestId("dropzone"), files);
  }

  /** Drops files on the page's main area, wherever the app is (opening, or an archive open). */
  async dropOnPage(...files) {
    await this.dropOn(this.page.locator("main"), files);
  }

  /** Drops files on the page to open them: on an open archive (where the page asks whether to
   * add them beside it or open them instead), answers "Open instead". */
  async openOnPage(...files) {
    const wasOpen = await this.page.getByTestId("archive").isVisible();
    await this.dropOnPage(...files);
    const name = (f) => (typeof f === "string" ? f : f.name);
    if (wasOpen && !files.every((f) => name(f).toLowerCase().endsWith(".csv"))) {
      await this.page.getByTestId("drop-open").click();
    }
  }

  async dropOn(target, files) {
    const payload = files.map((f) =>
      typeof f === "string"
        ? { name: f, base64: readFileSync(join(DATA, f)).toString("base64") }
        : { name: f.name, base64: Buffer.from(f.bytes).toString("base64") },
    );
    const transfer = await this.page.evaluateHandle((files) => {
      const dt = new DataTransfer();
      for (const { name, base64 } of files) {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], name));
      }
      return dt;
    }, payload);
    await target.dispatchEvent("drop", { dataTransfer: transfer });
  }

  /** Waits until the archive is open. */
  async opened() {
    await this.page.getByTestId("archive").waitFor({ timeout: 60_000 });
  }

  /** The number shown for a summary key (`posts`, `boosts`…), as text. */
  async stat(key) {
    return (await this.page.getByTestId(`summary-${key}`).textContent()).trim();
  }
}

/** Fails with the list of what went wrong, if anything did. */
export function assertClean(assert, { foreign, errors }) {
  assert.deepEqual(foreign, [], "requests left the page");
  assert.deepEqual(errors, [], "console errors");
}

/** Scrolls the page down until `locator` is in the document: the timeline mounts only the rows
 * near the viewport (ui/timeline.rs), so a row far below the first screen appears as it is
 * scrolled to. */
export async function scrollUntil(page, locator, tries = 80) {
  await page.evaluate(() => window.scrollTo(0, 0));
  for (let i = 0; i < tries; i++) {
    if ((await locator.count()) > 0) return;
    await page.evaluate(() => window.scrollBy(0, 500));
    await page.waitForTimeout(120);
  }
  await locator.first().waitFor({ timeout: 5_000 });
}

/**
 * What the worker's helper (crates/worker/src/inflate.rs) did: the helper workers running (named
 * permafrost-inflate), and the jobs the archive's worker sent them (a ZIP's outbox.json, a
 * tar.gz's gzip stream) and the tokenized texts it got back, so far (`self.permafrostInflated`,
 * `self.permafrostGzip`, `self.permafrostTokenized`; absent without a job yet).
 *
 * A worker busy with a long synchronous job answers only once it is done, and one may never
 * answer: seen in one CI run and in 1 of 16 local runs with both cores busy, in tests that replace
 * the archive's worker (and its helper) just before; which worker it was, and why, is not known.
 * A worker silent for 5 s is left out, listed in `silent` and logged: a test that needs its
 * counts fails on them.
 */
export async function helped(page) {
  const seen = { helpers: [], silent: [], inflated: 0, gzip: 0, tokenized: 0 };
  for (const worker of page.workers()) {
    let timer;
    const silent = new Promise((resolve) => {
      timer = setTimeout(() => resolve("silent"), 5_000);
    });
    const answer = worker
      .evaluate(() => [self.name, self.permafrostInflated, self.permafrostGzip, self.permafrostTokenized])
      // A worker that ended meanwhile (a helper replaced) is not counted.
      .catch(() => [null]);
    const got = await Promise.race([answer, silent]).finally(() => clearTimeout(timer));
    if (got === "silent") {
      seen.silent.push(worker.url());
      console.log(`# a worker did not answer within 5 s: ${worker.url()} (of ${page.workers().length})`);
      continue;
    }
    const [name, inflated, gzip, tokenized] = got;
    if (name === "permafrost-inflate") seen.helpers.push(worker);
    else if ([inflated, gzip, tokenized].some((n) => typeof n === "number")) {
      seen.inflated += inflated ?? 0;
      seen.gzip += gzip ?? 0;
      seen.tokenized += tokenized ?? 0;
    }
  }
  return seen;
}

/**
 * `helped`, once a helper runs (it starts a moment after the archive's worker, or the last),
 * and none of `replaced` does (a large open's helper is replaced a moment after its answer).
 */
export async function helperRuns(page, replaced = []) {
  for (let i = 0; i < 100; i++) {
    const seen = await helped(page);
    if (seen.helpers.length > 0 && seen.helpers.every((h) => !replaced.includes(h))) return seen;
    await page.waitForTimeout(100);
  }
  return helped(page);
}

/** Waits until the result count reads `text` ("18 posts"). */
export async function waitForCount(page, text, timeout = 20_000) {
  await page.waitForFunction(
    (t) => {
      const count = document.querySelector("[data-testid=count]");
      // The facets of a result come a moment after its count: a click on one must not race
      // their drawing.
      const facets = document.querySelector("[data-testid=facets]");
      return count?.textContent === t && (!facets || facets.dataset.search === count.dataset.search);
    },
    text,
    { timeout },
  );
}

/** Runs the `permafrost` CLI (release build if there is one), failing on a non-zero exit. */
export function cli(...args) {
  const bin = ["release", "debug"].map((p) => join(ROOT, "target", p, "permafrost")).find(existsSync);
  if (!bin) throw new Error("build the CLI first: cargo build -p permafrost-cli");
  const run = spawnSync(bin, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`permafrost ${args.join(" ")}: exit ${run.status}: ${run.stderr}`);
  return run;
}
