// Offline and installable: the service worker (assets/sw.js, its list written by
// scripts/precache.mjs) keeps the app's own files at the first visit, and nothing else. With the
// network off the page reloads, opens the sample and a dropped archive, and searches; the cache
// then holds exactly the app's files, and no request ever went anywhere but to them. The manifest
// is linked and valid, and Chromium finds the page installable. An update installs beside the
// running version, waits (the page still served whole by the old one), says so, and takes over
// on "Reload". On a host that sends no headers, the page it serves is cross-origin isolated.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "../../tools/node_modules/playwright-core/index.mjs";
import { FLAGS, ROOT, assertClean, open, screenshot, serve, waitForCount } from "./harness.mjs";

const DIST = join(ROOT, "dist");

/** The version and the files the built service worker in `dir` keeps. */
function precached(dir) {
  const sw = readFileSync(join(dir, "sw.js"), "utf8");
  const version = JSON.parse(sw.match(/^const VERSION = (.*);$/m)[1]);
  const files = Object.keys(JSON.parse(sw.match(/^const FILES = (.*);$/m)[1]));
  return { version, files };
}

/** Waits until a service worker is active for the page, and returns its state. */
const activated = (page) =>
  page.waitForFunction(
    async () => (await navigator.serviceWorker.ready).active?.state === "activated",
    null,
    { timeout: 60_000, polling: 200 },
  );

/** The service worker's caches, by name, with the URLs each holds, sorted. */
const caches = (page) =>
  page.evaluate(async () => {
    const out = {};
    for (const name of await self.caches.keys()) {
      const cache = await self.caches.open(name);
      out[name] = (await cache.keys()).map((r) => r.url).sort();
    }
    return out;
  });

test("the app installs, loads and opens archives offline; its cache holds only its own files", async () => {
  const { version, files } = precached(DIST);
  // Every file of the build is kept: the page, the bundles, the worker, the icons, the sample.
  for (const f of ["index.html", "boot.js", "worker.js", "worker_bg.wasm", "manifest.webmanifest", "sample/archive.zip"]) {
    assert.ok(files.includes(f), `${f} is precached`);
  }
  assert.ok(files.some((f) => /^permafrost-web-[0-9a-f]+_bg\.wasm$/.test(f)), "the page's wasm is precached");
  assert.ok(!files.includes("sw.js"), "the service worker does not keep itself");

  const session = await open({ serviceWorkers: "allow" });
  try {
    const { page, app, context, origin } = session;
    const appUrls = files.map((f) => `${origin}/${f}`).sort();
    await activated(page);
    assert.deepEqual(await caches(page), { [`permafrost-${version}`]: appUrls });

    // The manifest is linked and valid; Chromium finds nothing against installing the page.
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector("link[rel=manifest]").href;
      return (await fetch(href)).json();
    });
    assert.equal(manifest.short_name, "Permafrost");
    assert.equal(manifest.display, "standalone");
    assert.equal(manifest.start_url, "./");
    for (const icon of manifest.icons) assert.ok(files.includes(icon.src), `${icon.src} is built and kept`);
    assert.ok(manifest.icons.some((i) => i.purpose === "maskable"), "a maskable icon");
    const { errors: manifestErrors } = await (await context.newCDPSession(page)).send("Page.getAppManifest");
    assert.deepEqual(manifestErrors, [], "manifest errors");

    // Controlled after a reload; then with the network off, the same.
    await page.reload();
    await page.getByTestId("dropzone").waitFor();
    assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), "the page is controlled");
    await context.setOffline(true);
    const fromNetwork = [];
    page.on("response", (r) => {
      if (!r.fromServiceWorker() && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) fromNetwork.push(r.url());
    });
    const failed = [];
    page.on("requestfailed", (r) => failed.push(r.url()));
    await page.reload();
    await page.getByTestId("dropzone").waitFor();
    // The network is really off: a file the service worker does not keep cannot be fetched.
    const reached = await page.evaluate(() => fetch("sw.js", { cache: "no-store" }).then(() => true, () => false));
    assert.equal(reached, false, "the network is off");

    await page.getByTestId("sample").click();
    await app.opened();
    await waitForCount(page, "300 posts");
    await page.getByTestId("search").fill("coffee ");
    await waitForCount(page, "11 posts");
    assert.ok((await page.getByTestId("post").count()) > 0, "results are shown");
    await page.getByTestId("search").fill("has:image");
    await waitForCount(page, "39 posts");
    await page.locator("[data-testid=post] canvas[data-drawn]").first().waitFor();
    await screenshot(page, "offline-sample");

    // A dropped archive, with its media shown: none of it reaches the cache.
    await page.getByTestId("close").click();
    await app.drop("mastodon-export.zip");
    await app.opened();
    await page.getByTestId("post").first().waitFor();
    assert.deepEqual(await caches(page), { [`permafrost-${version}`]: appUrls }, "the cache holds the app's files only");
    assert.deepEqual(fromNetwork, [], "offline, everything came from the service worker");

    // Nothing was ever asked for but the page and the app's files (the service worker's own
    // install requests included: Playwright routes them too), and sw.js, by the browser.
    assert.ok(session.requests.includes(`${origin}/sample/README.md`), "the service worker's requests are seen");
    const allowed = new Set([`${origin}/`, `${origin}/sw.js`, ...appUrls]);
    assert.deepEqual(session.requests.filter((u) => !allowed.has(u) && !u.startsWith("blob:") && !u.startsWith("data:")), []);
    // The one request that failed is the probe above, which also logged its failure.
    assert.deepEqual(failed, [`${origin}/sw.js`], "failed requests");
    const probe = session.errors.indexOf("page: Failed to load resource: net::ERR_INTERNET_DISCONNECTED");
    if (probe >= 0) session.errors.splice(probe, 1);
    assertClean(assert, session);
  } finally {
    await session.close();
  }
});

test("Chromium finds the page installable", async () => {
  // Not in the harness's incognito-like context, where nothing is installable: a profile.
  const server = await serve();
  const profile = mkdtempSync(join(tmpdir(), "permafrost-profile-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", args: FLAGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    await page.getByTestId("dropzone").waitFor();
    await activated(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    assert.deepEqual(installabilityErrors, [], "installability errors");
  } finally {
    await context.close();
    await server.stop();
    rmSync(profile, { recursive: true, force: true });
  }
});

test("a new version installs beside the old, waits with a notice, and takes over on Reload", async () => {
  const dir = mkdtempSync(join(tmpdir(), "permafrost-offline-"));
  cpSync(DIST, dir, { recursive: true });
  const a = precached(dir);
  // A host that sends no headers: the service worker makes the page cross-origin isolated.
  const session = await open({ serviceWorkers: "allow", dist: dir, isolated: false });
  try {
    const { page, origin } = session;
    assert.equal(await page.evaluate(() => crossOriginIsolated), false, "the first visit, from the host");
    await activated(page);
    await page.reload();
    await page.getByTestId("dropzone").waitFor();
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, "served by the service worker, isolated");
    // Which version's page this is: its description (the app sets the title itself, in the
    // chosen language).
    const version = () => page.evaluate(() => document.querySelector('meta[name="description"]').content);
    const pageA = await version();
    assert.equal(await page.getByTestId("update").count(), 0, "no notice on the first visit");

    // Version B on the server: a changed page and a file that was not there before.
    const index = join(dir, "index.html");
    const pageB = readFileSync(index, "utf8").replace('content="Read and search', 'content="B: Read and search');
    assert.ok(pageB.includes('content="B: '), "version B's page differs from A's");
    writeFileSync(index, pageB);
    writeFileSync(join(dir, "added.txt"), "new in B\n");
    const run = spawnSync("node", [join(ROOT, "scripts", "precache.mjs"), dir], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const b = precached(dir);
    assert.notEqual(b.version, a.version);
    assert.ok(b.files.includes("added.txt"), "a file added to the build is kept");

    // The next visit is still served whole by A while B installs and waits.
    await page.reload();
    await page.getByTestId("dropzone").waitFor();
    await page.getByTestId("update").waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId("update").textContent(), "A new version of Permafrost is ready.Reload");
    assert.equal(await version(), pageA, "the page is A's");
    const served = await page.evaluate(async () => (await (await fetch("index.html")).text()).includes('content="B: '));
    assert.equal(served, false, "A's files are served while B waits");
    const both = await caches(page);
    assert.deepEqual(Object.keys(both).sort(), [`permafrost-${a.version}`, `permafrost-${b.version}`].sort());
    assert.ok(both[`permafrost-${b.version}`].includes(`${origin}/added.txt`));
    await screenshot(page, "offline-update-notice");

    // Reload: B takes over, the page is B's, A's cache is gone.
    const reloaded = page.waitForEvent("load");
    await page.getByTestId("update-reload").click();
    await reloaded;
    await page.getByTestId("dropzone").waitFor();
    assert.match(await version(), /^B: /);
    assert.equal(await page.getByTestId("update").count(), 0, "no notice once B serves the page");
    await page.waitForFunction(async (name) => (await self.caches.keys()).join() === name, `permafrost-${b.version}`);
    assertClean(assert, session);
  } finally {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
