// Export in the browser: the dialog says what will be written before anything is, every format
// downloads as a file that reads back (CSV rows equal to `permafrost export` on the same archive
// and query, JSON and the archive ZIP with exactly the selected posts, the ZIP opening again in
// the app with the same count, HTML with no script and no request (its videos beside it, its
// long addresses wrapped on a phone), Markdown with front matter), posts picked by hand (with a
// shift-click range, and exported from beside their count on a phone) export alone, an export can be cancelled (nothing in the dialog can be
// changed while it runs), and the keyboard's focus stays in the dialog.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import JSZip from "../../tools/node_modules/jszip/lib/index.js";
import { ROOT, assertClean, cli, open, screenshot } from "./harness.mjs";

const SAMPLE = join(ROOT, "assets", "sample");
const CSVS = [
  "following_accounts.csv",
  "lists.csv",
  "blocked_accounts.csv",
  "muted_accounts.csv",
  "blocked_domains.csv",
  "bookmarks.csv",
].map((f) => join(SAMPLE, f));
const QUERY = "has:media";
const work = mkdtempSync(join(tmpdir(), "permafrost-export-"));

let session;
before(async () => {
  session = await open();
  await session.page.getByTestId("sample").click();
  await session.app.opened();
  await session.page.getByTestId("post").first().waitFor();
  await session.page.getByTestId("search").fill(QUERY);
  await session.page.waitForFunction(
    () => document.querySelector("[data-testid=count]")?.textContent !== "300 posts",
  );
});
after(async () => {
  await session?.close();
});

const shownCount = async () =>
  Number((await session.page.getByTestId("count").textContent()).replace(/\D/g, ""));

/** Opens the dialog, chooses a format, exports, and returns the downloaded file's bytes. */
async function exportAs(format, { picked = false, keyboard = false } = {}) {
  const { page } = session;
  if (!(await page.getByTestId("export-dialog").isVisible().catch(() => false))) {
    await page.getByTestId("export").click();
  }
  const dialog = page.getByRole("dialog", { name: "Export" });
  await dialog.waitFor();
  await dialog.getByTestId(picked ? "export-picked" : "export-results").check();
  await dialog.getByTestId(`format-${format}`).check();
  await page.waitForFunction(
    () => !/Counting/.test(document.querySelector("[data-testid=export-plan]")?.textContent ?? ""),
  );
  if (keyboard) await dialog.getByTestId("export-start").focus();
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 60_000 }),
    keyboard ? page.keyboard.press("Enter") : dialog.getByTestId("export-start").click(),
  ]);
  const path = join(work, download.suggestedFilename());
  await download.saveAs(path);
  const saved = await dialog.getByTestId("export-saved").textContent();
  const posts = Number(saved.match(/: ([\d,]+) posts?/)[1].replace(/,/g, ""));
  // The media files counted as the posts are: "1 media file", never "1 media files".
  assert.match(saved, /, (1 media file|[\d,]+ media files|0 media files)\.$/, saved);
  assert.doesNotMatch(saved, /\b1 media files/, saved);
  return { name: download.suggestedFilename(), bytes: readFileSync(path), path, posts };
}

/** RFC 4180 rows (quoted cells with commas, quotes and line breaks). */
function csvRows(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell), rows.push(row), (row = []), (cell = "");
    } else cell += c;
  }
  if (cell !== "" || row.length) row.push(cell), rows.push(row);
  return rows;
}

test("the dialog says what will be written before anything is", async () => {
  const { page } = session;
  const n = await shownCount();
  assert.ok(n > 0 && n < 300);
  await page.getByTestId("export").click();
  const dialog = page.getByRole("dialog", { name: "Export" });
  await dialog.waitFor();
  assert.equal(await dialog.getByRole("heading", { name: "Export" }).count(), 1);
  const plan = dialog.getByTestId("export-plan");
  await page.waitForFunction(() => /will be written/.test(document.querySelector("[data-testid=export-plan]")?.textContent ?? ""));
  assert.match(await plan.textContent(), new RegExp(`^${n} posts will be written to permafrost-[\\w-]+\\.csv\\.$`));
  // An archive ZIP copies the posts' media: the plan counts them and their size.
  await dialog.getByTestId("format-zip").check();
  await page.waitForFunction(() => /media files? \(/.test(document.querySelector("[data-testid=export-plan]")?.textContent ?? ""));
  assert.match(await plan.textContent(), new RegExp(`^${n} posts with \\d+ media files? \\([\\d.]+ [kKM]B\\) will be written to [\\w-]+\\.zip\\.`));
  // HTML leaves followers-only posts and direct messages out by default, and says so.
  await dialog.getByTestId("format-html").check();
  assert.equal(await dialog.getByTestId("leave-followers").isChecked(), true);
  assert.equal(await dialog.getByTestId("leave-direct").isChecked(), true);
  await page.waitForFunction(() => /Left out/.test(document.querySelector("[data-testid=export-plan]")?.textContent ?? ""));
  await screenshot(page, "export-dialog");
  await dialog.getByTestId("format-csv").check();
  assert.equal(await dialog.getByTestId("leave-followers").isChecked(), false);
});

test("a query being typed exports exactly the posts listed", async () => {
  const { page } = session;
  await page.getByRole("dialog", { name: "Export" }).getByRole("button", { name: "Close" }).click();
  // "mor" is read as a prefix while typed (morning, more…), and so is it for the export.
  await page.getByTestId("search").fill("mor");
  await page.waitForFunction(() => /^\d+ posts?$/.test(document.querySelector("[data-testid=count]")?.textContent ?? ""));
  const n = await shownCount();
  assert.ok(n > 0);
  await page.getByTestId("export").click();
  await page.waitForFunction(
    (n) => new RegExp(`^${n} posts? will be written`).test(document.querySelector("[data-testid=export-plan]")?.textContent ?? ""),
    n,
  );
  await page.getByRole("dialog", { name: "Export" }).getByRole("button", { name: "Close" }).click();
  await page.getByTestId("search").fill(QUERY);
  await page.waitForFunction(() => !/Searching/.test(document.querySelector("[data-testid=count]")?.textContent ?? ""));
});

test("CSV: the same rows as the command line's export of the same query", async () => {
  const { bytes } = await exportAs("csv");
  const out = join(work, "cli.csv");
  cli("export", join(SAMPLE, "archive.zip"), ...CSVS, QUERY, "--format", "csv", "--tz", "Europe/Paris", "-o", out);
  const mine = csvRows(bytes.toString("utf8"));
  const theirs = csvRows(readFileSync(out, "utf8"));
  assert.deepEqual(mine[0], theirs[0], "same header");
  assert.equal(mine.length - 1, await shownCount());
  const key = (rows) => rows.slice(1).map((r) => JSON.stringify(r)).sort();
  assert.deepEqual(key(mine), key(theirs));
});

test("JSON: exactly the posts shown, as the original activities", async () => {
  const { bytes } = await exportAs("json");
  const json = JSON.parse(bytes.toString("utf8"));
  const n = await shownCount();
  assert.equal(json.type, "OrderedCollection");
  assert.equal(json.totalItems, n);
  assert.equal(json.orderedItems.length, n);
  assert.ok(json.orderedItems.every((item) => typeof item.id === "string" && item.type));
});

test("by keyboard, the focus stays in the dialog while an export runs and after it", async () => {
  const { page } = session;
  await exportAs("json", { keyboard: true });
  // Export is disabled while it runs: the focus went to Cancel, then back (not to the page).
  await page.waitForFunction(() => document.activeElement?.dataset?.testid === "export-start");
  await page.keyboard.press("Tab");
  assert.ok(await page.getByTestId("export-dialog").evaluate((d) => d.contains(document.activeElement)));
});

test("archive ZIP: opens again in the app with the same posts", async () => {
  const { bytes, path } = await exportAs("zip");
  const n = await shownCount();
  const zip = await JSZip.loadAsync(bytes);
  const outbox = JSON.parse(await zip.file(/outbox\.json$/)[0].async("string"));
  assert.equal(outbox.orderedItems.length, n);
  assert.ok(zip.file(/actor\.json$/).length === 1);
  assert.ok(zip.file(/media_attachments\//).length > 0, "the media of the selected posts");
  // Open it as a new archive: the same number of posts.
  const { page } = session;
  await page.getByRole("dialog", { name: "Export" }).getByRole("button", { name: "Close" }).click();
  await page.getByRole("button", { name: "Open another archive" }).click();
  await page.getByTestId("file-input").setInputFiles(path);
  await session.app.opened();
  await page.waitForFunction(
    (t) => document.querySelector("[data-testid=count]")?.textContent === t,
    `${n} posts`,
  );
  // And back to the sample for the next tests.
  await page.getByRole("button", { name: "Open another archive" }).click();
  await page.getByTestId("sample").click();
  await session.app.opened();
  await page.getByTestId("search").fill(QUERY);
  await page.waitForFunction((n) => document.querySelector("[data-testid=count]")?.textContent === `${n} posts`, n);
});

test("HTML: a page with no script that loads nothing from elsewhere", async () => {
  // Followers-only posts and direct messages are left out of a page by default.
  const { bytes, path, name, posts } = await exportAs("html");
  assert.ok(posts > 0 && posts < (await shownCount()));
  // The sample's media include videos and sounds, which a page cannot embed: a ZIP of the page
  // with its media beside it, unpacked as a user would.
  assert.ok(name.endsWith(".zip"), name);
  const zip = await JSZip.loadAsync(bytes);
  const folder = join(work, "html-export");
  for (const file of Object.values(zip.files).filter((f) => !f.dir)) {
    mkdirSync(dirname(join(folder, file.name)), { recursive: true });
    writeFileSync(join(folder, file.name), await file.async("nodebuffer"));
  }
  const html = await zip.file("index.html").async("string");
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
  assert.match(html, /Content-Security-Policy/);
  assert.match(html, /<a href="media\/[^"]+\.(mp4|webm|mp3|ogg|m4a|wav)"/, "a video or a sound, linked");
  assert.doesNotMatch(html, /not embedded/);
  {
    // Opened as a user opens a saved page, in a context of its own that logs every request.
    // On a phone's width: a long address in a post wraps instead of widening the page.
    const context = await session.page.context().browser().newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    const index = join(folder, "index.html");
    await page.goto(`file://${index}`);
    assert.equal(await page.locator("article").count(), posts);
    assert.deepEqual(requests.filter((u) => !u.startsWith(`file://${folder}/`) && !u.startsWith("data:")), []);
    const wider = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(wider <= 0, `the page is ${wider} px wider than the window`);
    await context.close();
  }
});

test("Markdown: a ZIP of posts with front matter", async () => {
  const { bytes } = await exportAs("markdown");
  const zip = await JSZip.loadAsync(bytes);
  const docs = zip.file(/\.md$/);
  assert.ok(docs.length > 0);
  for (const doc of docs.slice(0, 5)) {
    const text = await doc.async("string");
    const front = text.match(/^---\n([\s\S]*?)\n---\n/);
    assert.ok(front, `${doc.name} starts with front matter`);
    assert.match(front[1], /^id: "https:\/\//m);
    assert.match(front[1], /^date: "\d{4}-\d\d-\d\dT/m);
  }
});

test("posts picked by hand, with a shift-click range, export alone", async () => {
  const { page } = session;
  await page.getByRole("dialog", { name: "Export" }).getByRole("button", { name: "Close" }).click();
  const boxes = page.getByTestId("pick");
  await boxes.nth(0).click();
  await boxes.nth(2).click({ modifiers: ["Shift"] });
  await page.waitForFunction(() => document.querySelector("[data-testid=selected-count]")?.textContent === "3 selected");
  const ids = await page.locator("[data-testid=post]").evaluateAll((posts) =>
    posts.slice(0, 3).map((p) => p.dataset.index),
  );
  // The selection survives a new order.
  await page.getByTestId("sort").selectOption("oldest");
  await page.getByTestId("post").first().waitFor();
  assert.equal(await page.getByTestId("selected-count").textContent(), "3 selected");
  await screenshot(page, "export-selection");
  // On a phone the toolbar's Export is scrolled out of view; the one beside the count is in
  // it, and opens the dialog on the posts picked.
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    const beside = page.getByTestId("export-selected");
    const box = await beside.evaluate((b) => { const r = b.getBoundingClientRect(); return { left: r.left, right: r.right, w: innerWidth }; });
    assert.ok(box.left >= 0 && box.right <= box.w, `Export beside the count at ${box.left}–${box.right} of ${box.w}`);
    await beside.click();
    const dialog = page.getByRole("dialog", { name: "Export" });
    await dialog.waitFor();
    assert.equal(await dialog.getByTestId("export-picked").isChecked(), true);
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  const { bytes } = await exportAs("json", { picked: true });
  const json = JSON.parse(bytes.toString("utf8"));
  assert.equal(json.totalItems, 3);
  assert.equal(ids.length, 3);
  await page.getByRole("dialog", { name: "Export" }).getByRole("button", { name: "Close" }).click();
  await page.getByTestId("clear-selection").focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.getByTestId("selected-count").isVisible(), false);
  // The button hid itself: the keyboard goes on from "Select all".
  await page.waitForFunction(() => document.activeElement?.dataset.testid === "select-all");
  await page.getByTestId("sort").selectOption("newest");
});

test("a large export can be cancelled, and the archive goes on answering meanwhile", async () => {
  const { page } = session;
  const file = join(work, "big.zip");
  cli("synth", "--posts", "20000", "--media-bytes", "20000", "-o", file);
  if (await page.getByTestId("export-dialog").isVisible()) await page.keyboard.press("Escape");
  await page.getByTestId("close").click();
  await page.getByTestId("file-input").setInputFiles(file);
  await session.app.opened();
  await page.waitForFunction(() => document.querySelector("[data-testid=count]")?.textContent === "20,000 posts");
  await page.getByTestId("export").click();
  const dialog = page.getByRole("dialog", { name: "Export" });
  await dialog.getByTestId("format-zip").check();
  await page.waitForFunction(() => /will be written/.test(document.querySelector("[data-testid=export-plan]")?.textContent ?? ""));
  let downloaded = false;
  page.on("download", () => (downloaded = true));
  await dialog.getByTestId("export-start").click();
  // Progress shows, with counts, while the worker writes.
  await page.waitForFunction(() => /Writing: [\d,]+ of 20,000 posts/.test(document.querySelector("[data-testid=export-status]")?.textContent ?? ""));
  await screenshot(page, "export-progress");
  // Nothing can be changed while it runs, and everything can again after.
  const enabled = () =>
    page.evaluate(() =>
      [...document.querySelectorAll("[data-testid=export-dialog] input, [data-testid=export-start]")]
        .filter((c) => !c.matches(":disabled"))
        .map((c) => c.dataset.testid),
    );
  assert.deepEqual(await enabled(), [], "every control is disabled while the export runs");
  assert.equal(await dialog.getByTestId("format-csv").isDisabled(), true);
  await dialog.getByTestId("export-cancel").click();
  await page.waitForFunction(() => /cancelled/.test(document.querySelector("[data-testid=export-status]")?.textContent ?? ""));
  // Said as what it is, not as an error.
  assert.equal(await dialog.locator("[data-testid=export-status] .error").count(), 0);
  assert.match(await dialog.getByTestId("export-cancelled").textContent(), /nothing was saved/);
  const controls = await page.locator("[data-testid=export-dialog] input").evaluateAll((all) => all.map((c) => c.dataset.testid));
  // The selected posts' choice stays off: none are selected.
  assert.deepEqual(await enabled(), [...controls.filter((id) => id !== "export-picked"), "export-start"]);
  assert.equal(await dialog.getByTestId("format-csv").isDisabled(), false);
  assert.equal(downloaded, false, "nothing is saved");
  // The archive is still open and searchable.
  await dialog.getByRole("button", { name: "Close" }).click();
  await page.getByTestId("search").fill("has:media");
  await page.waitForFunction(() => /^[\d,]+ posts$/.test(document.querySelector("[data-testid=count]")?.textContent ?? "") && document.querySelector("[data-testid=count]").textContent !== "20,000 posts");
});

test("nothing left the page", () => {
  assertClean(assert, session);
});
