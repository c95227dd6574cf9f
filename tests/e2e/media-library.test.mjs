// The Media tab (the media library) in Chromium: its counts per kind, its alt-text coverage, its
// tiles (in order) and its month headings equal `permafrost media --json` on the same archive,
// query and time zone; the alt-text audit shows exactly the CLI's `--without-alt` items and lives
// in the URL (Back undoes it); a tile opens the lightbox, which steps by keyboard and closes back
// to the tile; "Show the post" shows that one post on the timeline; images are read only near the
// viewport and drawn at the tile's size, so the pictures alive stay well below the number of tiles; screenshots at desktop and
// phone widths in both themes. (tests/e2e/media.test.mjs: media on the timeline.)

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { RESULTS, ROOT, assertClean, cli, open, screenshot, waitForCount } from "./harness.mjs";

const ARCHIVE = join(ROOT, "assets", "sample", "archive.zip");
// The harness runs Chromium in Paris time; the app follows the browser's zone.
const ZONE = "Europe/Paris";

const media = (query = "", ...flags) =>
  JSON.parse(cli("media", ARCHIVE, ...(query ? [query] : []), "--tz", ZONE, "--json", ...flags).stdout);
const pairs = (items) => items.map((i) => `${i.post}#${i.index}`);

let session;
before(async () => {
  session = await open();
  await session.page.getByTestId("sample").click();
  await session.app.opened();
});
after(async () => {
  await session?.close();
});

/** Opens the Media tab for `query` (typed in the search box), once it shows `total` items. */
async function mediaFor(query, total) {
  const { page } = session;
  if (!(await page.getByTestId("search").isVisible().catch(() => false))) {
    await page.getByTestId("tab-posts").click();
  }
  await page.getByTestId("search").fill(query);
  await page.waitForFunction((q) => decodeURIComponent(location.hash).includes(q) || q === "", query);
  await page.getByTestId("tab-media").click();
  await waitForTotal(total);
}

async function waitForTotal(total, page = session.page) {
  await page.waitForFunction(
    (n) => document.querySelector("[data-testid=media-count]")?.dataset.total === String(n),
    total,
  );
}

/**
 * Scrolls through the grid a screen at a time until all `total` tiles are loaded. The grid takes
 * far months' tiles off the page, so the tiles are collected on the way: every one seen
 * (`post#index`, in order), and the most tiles and drawn pictures on the page at once.
 */
async function scrollThrough(total, page = session.page) {
  await page.evaluate(() => window.scrollTo({ top: 0, behavior: "instant" }));
  const seen = new Map();
  let [most, mostTiles] = [0, 0];
  for (let i = 0; i < 1000; i++) {
    const now = await page.evaluate(() => {
      const tiles = [...document.querySelectorAll("[data-testid=media-tile]")];
      const at = {
        tiles: tiles.map((el) => [Number(el.dataset.open), `${el.dataset.post}#${el.dataset.index}`]),
        pictures: document.querySelectorAll("[data-testid=media-grid] canvas").length,
        loaded: Number(document.querySelector("[data-testid=media-grid]").dataset.loaded ?? 0),
        bottom: innerHeight + scrollY >= document.documentElement.scrollHeight - 2,
      };
      window.scrollBy({ top: innerHeight, behavior: "instant" });
      return at;
    });
    for (const [pos, pair] of now.tiles) seen.set(pos, pair);
    most = Math.max(most, now.pictures);
    mostTiles = Math.max(mostTiles, now.tiles.length);
    if (now.bottom && now.loaded >= total && seen.size >= total) break;
    await page.waitForTimeout(now.bottom ? 100 : 40);
  }
  const pairs = [...seen].sort((x, y) => x[0] - y[0]).map(([, pair]) => pair);
  return { pairs, most, mostTiles };
}

/** Every tile of the grid, in order (`post#index`), once all `total` are loaded. */
async function scrollToEnd(total) {
  return (await scrollThrough(total)).pairs;
}

test("counts, coverage, tiles and months equal `permafrost media`", async () => {
  const { page } = session;
  for (const query of ["", "-is:boost"]) {
    const want = media(query);
    assert.ok(want.total > 0);
    await mediaFor(query, want.total);
    const count = page.getByTestId("media-count");
    assert.equal(Number(await count.getAttribute("data-attachments")), want.attachments);
    assert.equal(Number(await count.getAttribute("data-described")), want.described);
    const pct = Math.round((100 * want.described) / want.attachments);
    assert.match(
      await count.textContent(),
      new RegExp(`^${want.total} attachments in ${want.posts} posts?${query ? ` matching “${query}”` : ""}\\. ${want.described} of ${want.attachments} attachments have a description \\(${pct}%\\)\\.$`),
    );
    // A chip per kind with attachments, each with the CLI's count; "All" with their sum.
    const chips = await page.locator("[data-kind]").evaluateAll((els) =>
      els.map((el) => [el.dataset.kind, Number(el.dataset.count)]),
    );
    const kinds = want.kinds.filter((k) => k.attachments > 0).map((k) => [k.kind, k.attachments]);
    const sum = want.kinds.reduce((n, k) => n + k.attachments, 0);
    assert.deepEqual(chips, [["all", sum], ...kinds]);
    // Every tile, in the CLI's order, after scrolling to the end; a heading per month.
    assert.deepEqual(await scrollToEnd(want.total), pairs(want.items));
    const months = await page.locator("[data-testid=media-grid] section[data-month]").evaluateAll((els) =>
      els.map((el) => el.dataset.month),
    );
    assert.deepEqual(months, [...new Set(want.items.map((i) => i.month ?? ""))]);
    // Images are read only near the viewport: at the end of the grid, far fewer are alive.
    await page.waitForTimeout(500);
    const alive = await page.locator("[data-testid=media-grid] canvas").count();
    assert.ok(alive > 0, "the images near the end are shown");
    assert.ok(alive < want.total / 2, `${alive} pictures alive for ${want.total} tiles`);
    // Each is drawn with pixels, and no larger than covering its tile takes.
    const sizes = await page.locator("[data-testid=media-grid] canvas").evaluateAll((els) =>
      els.map((c) => ({ w: c.width, h: c.height, bw: c.clientWidth, bh: c.clientHeight, dpr: devicePixelRatio })),
    );
    for (const { w, h, bw, bh, dpr } of sizes) {
      assert.ok(w > 0 && h > 0, `a drawn picture: ${w} × ${h}`);
      assert.ok(Math.min(w / bw, h / bh) <= dpr + 0.05, `${w} × ${h} pixels for a ${bw} × ${bh} tile`);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
  }
  assertClean(assert, session);
});

test("the alt-text audit: exactly the attachments without a description, in the URL", async () => {
  const { page } = session;
  const all = media("");
  const want = media("", "--without-alt");
  assert.ok(want.total > 0 && want.total < all.total);
  await mediaFor("", all.total);
  await page.getByTestId("media-noalt").click();
  await waitForTotal(want.total);
  assert.equal(await page.getByTestId("media-noalt").getAttribute("aria-pressed"), "true");
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /show=noalt/);
  assert.deepEqual(await scrollToEnd(want.total), pairs(want.items));
  // Every tile says it has no description.
  const names = await page.getByTestId("media-tile").evaluateAll((els) => els.map((el) => el.getAttribute("aria-label")));
  for (const name of names) assert.match(name, /, no description$/);
  await page.evaluate(() => window.scrollTo(0, 0));

  // Oldest first: the same items, the other way round (a post's attachments still in order).
  const oldest = media("", "--without-alt", "--oldest-first");
  await page.getByTestId("media-oldest").click();
  await page.waitForFunction(() => /show=noalt(%20|\+| )oldest/.test(location.hash));
  await page.waitForFunction(
    (first) => document.querySelector("[data-testid=media-tile]")?.dataset.post === String(first),
    oldest.items[0].post,
  );
  assert.deepEqual(await scrollToEnd(oldest.total), pairs(oldest.items));
  await page.evaluate(() => window.scrollTo(0, 0));

  // GIFs without a description: none, and the tab says so.
  const gifs = media("", "--without-alt", "--kind", "gif");
  assert.equal(gifs.total, 0);
  assert.ok(gifs.attachments > 0);
  await page.getByTestId("media-kind-gif").click();
  await page.getByTestId("media-empty").waitFor();
  assert.equal(await page.getByTestId("media-empty").textContent(), "Every GIF has a description.");

  // Back walks through the choices: oldest first, then the audit, then everything.
  await page.goBack();
  await page.goBack();
  await waitForTotal(want.total);
  await page.goBack();
  await waitForTotal(all.total);
  assert.equal(await page.getByTestId("media-noalt").getAttribute("aria-pressed"), "false");
  assertClean(assert, session);
});

test("a tile opens the lightbox, which steps by keyboard, and shows its post", async () => {
  const { page } = session;
  const want = media("");
  await mediaFor("", want.total);
  const first = want.items[0];
  const tile = page.getByTestId("media-tile").first();
  const name = await tile.getAttribute("aria-label");
  assert.match(name, /^Image, \w{3} \d+, \d{4}/);
  assert.ok(first.attachment.alt ? name.endsWith(`: ${first.attachment.alt}`) : name.endsWith(", no description"), name);
  // Sensitive media stays a labelled placeholder, never read for the grid.
  const sensitive = want.items.findIndex((i) => i.sensitive);
  if (sensitive >= 0) {
    const hidden = page.locator(`[data-open="${sensitive}"]`);
    assert.equal(await hidden.locator("img, canvas").count(), 0);
    assert.match(await hidden.textContent(), /Sensitive/);
  }

  await tile.focus();
  await page.keyboard.press("Enter");
  const box = page.getByTestId("lightbox");
  await box.waitFor();
  const at = () => box.getAttribute("data-pos");
  assert.equal(await at(), "0");
  await page.locator("[data-testid=lightbox] img[src^='blob:']").waitFor();
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.querySelector("[data-testid=lightbox]")?.dataset.pos === "1");
  await page.keyboard.press("j");
  await page.waitForFunction(() => document.querySelector("[data-testid=lightbox]")?.dataset.pos === "2");
  await page.keyboard.press("k");
  await page.waitForFunction(() => document.querySelector("[data-testid=lightbox]")?.dataset.pos === "1");
  assert.equal(await box.getAttribute("data-post"), String(want.items[1].post));
  await screenshot(page, "media-library-lightbox");
  await page.keyboard.press("Escape");
  await box.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.open), "1");

  // "Show the post": that one post on the timeline.
  await page.keyboard.press("Enter");
  await box.waitFor();
  await page.getByTestId("show-post").click();
  await waitForCount(page, "1 post");
  // The keyboard goes on from the count, not from the top of the page.
  await page.waitForFunction(() => document.activeElement?.dataset.testid === "count");
  assert.equal(decodeURIComponent(await page.evaluate(() => location.hash)), `#q=id:${want.items[1].id}`);
  await page.goBack();
  await waitForTotal(want.total);
  assertClean(assert, session);
});

test("screenshots at desktop and phone widths, both themes, no horizontal overflow", async () => {
  const { page } = session;
  const want = media("");
  await mediaFor("", want.total);
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: width === 360 ? 800 : 900 });
    for (const theme of ["light", "dark"]) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      await page.getByTestId("media-library").evaluate((el) => el.scrollIntoView());
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `${width}px ${theme}: the page is ${overflow}px too wide`);
      await screenshot(page, `media-library-${width}-${theme}`);
    }
  }
  await page.evaluate(() => (document.documentElement.dataset.theme = "system"));
  await page.setViewportSize({ width: 1280, height: 900 });
  assertClean(assert, session);
});

test("a large library comes a page at a time as it scrolls; only tiles near the viewport hold an image", async () => {
  // A generated archive of some 440 attachments: four pages of 120.
  const dir = join(RESULTS, "media-library");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "archive.zip");
  cli("synth", "--posts", "3000", "-o", path);
  const want = JSON.parse(cli("media", path, "--tz", ZONE, "--json").stdout);
  assert.ok(want.total > 3 * 120, `${want.total} attachments`);
  const s = await open();
  try {
    const { page } = s;
    await page.getByTestId("file-input").setInputFiles(path);
    await s.app.opened();
    await page.getByTestId("tab-media").click();
    await waitForTotal(want.total, page);
    await page.waitForTimeout(500);
    assert.equal(await page.getByTestId("media-grid").getAttribute("data-loaded"), "120", "the first page only");

    // The lightbox steps past the last tile loaded: the next page is asked for.
    await page.locator("[data-open='0']").click();
    await page.getByTestId("lightbox").waitFor();
    for (let pos = 0; pos < 120; pos++) await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => document.querySelector("[data-testid=lightbox]")?.dataset.pos === "120");
    assert.equal(await page.getByTestId("lightbox").getAttribute("data-post"), String(want.items[120].post));
    await page.keyboard.press("Escape");
    await page.getByTestId("lightbox").waitFor({ state: "detached" });

    // Scroll down a screen at a time: the pages come, and images are let go behind.
    const seen = await scrollThrough(want.total, page);
    assert.deepEqual(seen.pairs, pairs(want.items));
    assert.ok(seen.most > 0, "images were shown");
    assert.ok(seen.most < want.total / 3, `at most ${seen.most} pictures alive at once for ${want.total} tiles`);
    // Far months are folded: the page holds the tiles of a few screens, never all of them.
    assert.ok(seen.mostTiles < want.total / 2, `at most ${seen.mostTiles} tiles on the page at once for ${want.total}`);
    assert.ok((await page.locator("[data-testid=media-grid] [data-folded]").count()) > 0, "far months are folded");

    // Back at the top: the first months' tiles are back, in order, with their pictures.
    await page.evaluate(() => window.scrollTo({ top: 0, behavior: "instant" }));
    await page.locator("[data-open='0']").waitFor();
    await page.locator("[data-testid=media-grid] [data-open] canvas").first().waitFor();
    await page.waitForTimeout(200);
    const top = await page.getByTestId("media-tile").evaluateAll((els) =>
      els.map((el) => [Number(el.dataset.open), `${el.dataset.post}#${el.dataset.index}`]),
    );
    assert.deepEqual(top.map(([pos]) => pos), top.map((_, k) => k), "the tiles from the first on, none missing");
    assert.deepEqual(top.map(([, pair]) => pair), pairs(want.items).slice(0, top.length));


    // A tile with the keyboard focus stays on the page however far the grid scrolls, so the
    // focus is not lost; the lightbox closes back to a tile in a folded month.
    await page.locator("[data-open='0']").focus();
    await page.evaluate(() => window.scrollTo({ top: document.documentElement.scrollHeight, behavior: "instant" }));
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.open), "0");
    // The lightbox steps back from the last tile into the last folded month; closed, it gives
    // the focus to that tile, back on the page.
    const folded = await page.locator("[data-testid=media-grid] section:has([data-folded])").evaluateAll((els) =>
      els.map((el) => el.dataset.month),
    );
    const month = folded.at(-1);
    assert.ok(month, "a folded month");
    const target = want.items.findIndex((item) => (item.month ?? "") === month);
    const last = want.total - 1;
    await page.locator(`[data-open='${last}']`).click();
    await page.getByTestId("lightbox").waitFor();
    for (let pos = last; pos > target; pos--) await page.keyboard.press("ArrowLeft");
    await page.waitForFunction((t) => document.querySelector("[data-testid=lightbox]")?.dataset.pos === String(t), target);
    await page.keyboard.press("Escape");
    await page.waitForFunction((t) => document.activeElement?.dataset.open === String(t), target);

    // Oldest first, drawn anew a page at a time: in the lightbox, End shows the last attachment
    // of all (the pages before it read on the way), and Home the first.
    const oldest = JSON.parse(cli("media", path, "--tz", ZONE, "--json", "--oldest-first").stdout);
    await page.evaluate(() => window.scrollTo({ top: 0, behavior: "instant" }));
    await page.getByTestId("media-oldest").click();
    await page.waitForFunction(
      (first) => document.querySelector("[data-testid=media-tile]")?.dataset.post === String(first),
      oldest.items[0].post,
    );
    assert.equal(await page.getByTestId("media-grid").getAttribute("data-loaded"), "120", "the first page only");
    await page.locator("[data-open='1']").click();
    await page.getByTestId("lightbox").waitFor();
    await page.keyboard.press("End");
    await page.waitForFunction((p) => document.querySelector("[data-testid=lightbox]")?.dataset.pos === p, String(oldest.total - 1));
    assert.equal(await page.getByTestId("lightbox").getAttribute("data-post"), String(oldest.items[oldest.total - 1].post));
    await page.keyboard.press("Home");
    await page.waitForFunction(() => document.querySelector("[data-testid=lightbox]")?.dataset.pos === "0");
    assert.equal(await page.getByTestId("lightbox").getAttribute("data-post"), String(oldest.items[0].post));
    await page.keyboard.press("Escape");
    await page.getByTestId("lightbox").waitFor({ state: "detached" });
    assertClean(assert, s);
  } finally {
    await s.close();
  }
});
