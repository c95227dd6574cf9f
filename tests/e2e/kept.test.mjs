// "Keep on this device" (issue 12): nothing is stored until the user chooses it; kept, the
// archive survives a reload and opens again from the welcome screen without a file, with the
// same counts and search results; a snapshot from another version is rebuilt from the kept files
// (and replaced); Forget and Forget everything really delete the files, checked by listing the
// browser's origin-private storage itself.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { RESULTS, assertClean, cli, open, screenshot, waitForCount } from "./harness.mjs";

const DIR = join(RESULTS, "kept");

let session, archive, counts, other, otherCounts;
before(async () => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, "kept-me.zip");
  const expected = join(DIR, "expected.json");
  cli("synth", "--posts", "700", "--seed", "5", "--handle", "keeper@example.social", "-o", path, "--expected", expected);
  archive = { name: "kept-me.zip", bytes: readFileSync(path) };
  counts = JSON.parse(readFileSync(expected, "utf8"));
  other = join(DIR, "other.zip");
  cli("synth", "--posts", "150", "--seed", "8", "--handle", "other@elsewhere.example", "-o", other, "--expected", join(DIR, "other.json"));
  otherCounts = JSON.parse(readFileSync(join(DIR, "other.json"), "utf8"));
  session = await open();
});
after(async () => {
  assertClean(assert, session);
  await session?.close();
});

/** Every path under the origin-private file system's root, with each file's size. */
const storage = () =>
  session.page.evaluate(async () => {
    const out = [];
    const walk = async (dir, prefix) => {
      for await (const [name, handle] of dir.entries()) {
        if (handle.kind === "directory") {
          out.push(`${prefix}${name}/`);
          await walk(handle, `${prefix}${name}/`);
        } else {
          out.push(`${prefix}${name} ${(await handle.getFile()).size}`);
        }
      }
    };
    await walk(await navigator.storage.getDirectory(), "");
    return out.sort();
  });

/** The number of results of `query`, as the count shows it. */
async function search(query) {
  const { page } = session;
  await page.getByTestId("search").fill(query);
  await page.waitForFunction(
    (q) => document.querySelector("[data-testid=count]")?.getAttribute("data-search") && document.querySelector("[data-testid=search]").value === q,
    query,
  );
  await page.waitForTimeout(300);
  return (await page.getByTestId("count").textContent()).trim();
}

async function toWelcome() {
  await session.page.getByTestId("close").click();
  await session.page.getByTestId("dropzone").waitFor();
}

let before_keep;
test("nothing is stored until asked; kept, the archive opens again after a reload without a file", async () => {
  const { app, page } = session;
  await page.getByTestId("kept-never").waitFor();
  assert.equal(await page.getByTestId("kept").count(), 0, "no list when nothing is kept");
  await app.drop(archive);
  await app.opened();
  await waitForCount(page, `${counts.posts} posts`, 60_000);
  assert.deepEqual(await storage(), [], "opening stores nothing");
  before_keep = { media: await search("has:media"), word: await search("the -is:boost") };

  // By keyboard: the focus stays with the control as "Keep" becomes "Kept" (not lost to the
  // top of the page).
  await page.getByTestId("keep").focus();
  await page.keyboard.press("Enter");
  await page.getByTestId("kept-state").waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.activeElement?.closest("[data-testid=keep-control]"));
  const stored = await storage();
  const key = stored[1].split("/")[1];
  const sizes = Object.fromEntries(stored.filter((s) => s.includes(" ")).map((s) => s.split(" ")).map(([p, n]) => [p.split("/").pop(), Number(n)]));
  assert.deepEqual(Object.keys(sizes).sort(), ["file-0", "meta.json", "snapshot.bin"], stored.join("\n"));
  assert.equal(sizes["file-0"], archive.bytes.length, "the archive is kept byte for byte");
  await screenshot(page, "kept/kept");

  // A reload keeps the view in the URL (a bookmark would); start from all posts.
  await search("");
  await page.reload();
  await page.getByTestId("kept-archive").waitFor();
  const row = page.getByTestId("kept-archive");
  assert.equal(await row.getAttribute("data-key"), key);
  const text = await row.textContent();
  assert.match(text, /kept-me\.zip/);
  assert.match(text, /@keeper@example\.social/);
  assert.match(text, new RegExp(`${counts.posts} posts`));
  assert.match(await page.getByTestId("kept-usage").textContent(), /uses .* of this browser's storage, its own copy for use offline included/);
  assert.match(text, /[\d.]+ [KM]B on this device/);
  // "Nothing is stored unless you choose…" is not said under the list of what is.
  assert.equal(await page.getByTestId("kept-never").isVisible(), false);
  await screenshot(page, "kept/welcome");
  await page.getByTestId("kept-open").focus();
  await page.keyboard.press("Enter");
  await app.opened();
  await waitForCount(page, `${counts.posts} posts`, 60_000);
  // The button pressed is gone with the welcome screen: the keyboard goes on from the page's main part.
  await page.waitForFunction(() => document.activeElement?.id === "main");
  await page.getByTestId("kept-state").waitFor();
  assert.equal(await page.getByTestId("kept-rebuilt").count(), 0, "the snapshot was used");
  assert.equal(await search("has:media"), before_keep.media);
  assert.equal(await search("the -is:boost"), before_keep.word);
  // The summary is the archive's, and its media are read from the kept file.
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("posts"), String(counts.posts));
  await page.getByTestId("tab-media").click();
  await page.locator("[data-testid=media-grid] canvas").first().waitFor({ timeout: 30_000 });
  await page.getByTestId("tab-posts").click();
});

test("a snapshot from another version is rebuilt from the kept files, and replaced", async () => {
  const { app, page } = session;
  await toWelcome();
  // The layout number follows the 20-byte magic: make it one no version of the app wrote.
  const original = await page.evaluate(async () => {
    const kept = await (await navigator.storage.getDirectory()).getDirectoryHandle("kept");
    for await (const [, dir] of kept.entries()) {
      const handle = await dir.getFileHandle("snapshot.bin");
      const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
      const layout = bytes.slice(20, 24);
      bytes.set([0xfe, 0xff, 0xff, 0x7f], 20);
      const w = await handle.createWritable();
      await w.write(bytes);
      await w.close();
      return Array.from(layout);
    }
  });
  await page.getByTestId("kept-open").click();
  await app.opened();
  await waitForCount(page, `${counts.posts} posts`, 60_000);
  await page.getByTestId("kept-rebuilt").waitFor();
  assert.match(await page.getByTestId("kept-rebuilt").textContent(), /another version of Permafrost/);
  assert.equal(await search("has:media"), before_keep.media);
  // The new snapshot is written after the archive opens.
  await page.waitForFunction(async (layout) => {
    const kept = await (await navigator.storage.getDirectory()).getDirectoryHandle("kept");
    for await (const [, dir] of kept.entries()) {
      const file = await (await dir.getFileHandle("snapshot.bin")).getFile();
      const bytes = new Uint8Array(await file.slice(20, 24).arrayBuffer());
      return bytes.every((b, i) => b === layout[i]);
    }
  }, original);
  // Opened again, the new snapshot is used.
  await toWelcome();
  await page.getByTestId("kept-open").click();
  await app.opened();
  await page.getByTestId("kept-state").waitFor();
  assert.equal(await page.getByTestId("kept-rebuilt").count(), 0);
});

test("CSV exports added to a kept archive are kept with it; in another language it still says kept", async () => {
  const { app, page } = session;
  await page.getByTestId("kept-state").waitFor();
  const csv = join(DIR, "blocked_accounts.csv");
  const blocks = JSON.parse(cli("people", "--json", "--table", "blocks", join(DIR, "kept-me.zip"), csv).stdout).total;
  assert.ok(blocks > 0);
  await page.getByTestId("tab-people").click();
  await page.getByTestId("people-input").setInputFiles(csv);
  await page.getByTestId("people-added-file").first().waitFor();
  // Beside the archive, byte for byte, before the page says it was added.
  const sizes = (await storage()).filter((s) => /file-\d+ /.test(s)).map((s) => Number(s.split(" ")[1]));
  assert.deepEqual(sizes, [archive.bytes.length, readFileSync(csv).length]);
  assert.equal(await page.getByTestId("people-not-kept").count(), 0);
  // The view drawn again in another language still says it is kept (and can be forgotten).
  await page.getByTestId("language").selectOption("fr");
  await page.getByTestId("keep-forget").waitFor();
  assert.equal(await page.getByTestId("keep").count(), 0, "not offered to keep again");
  await page.getByTestId("language").selectOption("en");
  // Closed, the archive's view leaves the URL: after a reload, the next archive opened does
  // not take it for a link's view.
  await page.getByTestId("tab-posts").click();
  await search("has:media");
  await toWelcome();
  assert.equal(await page.evaluate(() => location.hash), "");
  await page.reload();
  // Opened again from the kept list: the blocks are there, from the snapshot.
  await page.getByTestId("kept-archive").waitFor();
  assert.match(await page.getByTestId("kept-archive").textContent(), /blocked_accounts\.csv|\+1 file/);
  await page.getByTestId("kept-open").click();
  await app.opened();
  await page.getByTestId("kept-state").waitFor();
  assert.equal(await page.getByTestId("kept-rebuilt").count(), 0, "the snapshot was used");
  await waitForCount(page, `${counts.posts} posts`, 60_000);
  assert.equal(await page.getByTestId("search").inputValue(), "");
  await page.getByTestId("tab-people").click();
  await page.getByTestId("people-table-blocks").click();
  await page.waitForFunction(
    (n) => document.querySelector("[data-testid=people-count]")?.getAttribute("data-total") === String(n),
    blocks,
  );
  await page.getByTestId("tab-posts").click();
});

test("another archive added to a kept one opens both; the kept one is left as it was", async () => {
  const { page } = session;
  const stored = await storage();
  await page.getByTestId("add-archive-input").setInputFiles(other);
  await page.getByTestId("archive").waitFor();
  await waitForCount(page, `${counts.posts + otherCounts.posts} posts`, 60_000);
  // The set is new: it is not kept until asked, and what was kept did not change.
  await page.getByTestId("keep").waitFor();
  assert.deepEqual(await storage(), stored);
});

test("Forget deletes the kept files; Forget everything deletes the storage", async () => {
  const { app, page } = session;
  await toWelcome();
  // Asked first, naming it; dismissed, nothing is deleted.
  let asked;
  page.once("dialog", (dialog) => ((asked = dialog.message()), dialog.dismiss()));
  await page.getByTestId("kept-forget").click();
  await page.waitForFunction(() => true);
  assert.match(asked ?? "", /^Delete “kept-me\.zip” kept on this device\?/);
  assert.equal(await page.getByTestId("kept-archive").count(), 1);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByTestId("kept-forget").click();
  await page.getByTestId("kept").waitFor({ state: "detached" });
  assert.deepEqual(await storage(), ["kept/"], "the archive's directory is gone");

  // Kept twice (this archive, then the same opened from its files again: a second entry).
  await app.drop(archive);
  await app.opened();
  await page.getByTestId("keep").click();
  await page.getByTestId("kept-state").waitFor({ timeout: 60_000 });
  // Forget from the open archive.
  await page.getByTestId("keep-forget").click();
  await page.getByTestId("keep").waitFor();
  assert.deepEqual(await storage(), ["kept/"]);
  await page.getByTestId("keep").click();
  await page.getByTestId("kept-state").waitFor({ timeout: 60_000 });
  // The same file opened again and kept again replaces what was kept, rather than keeping a
  // second copy no one could tell from the first.
  const once = await storage();
  await app.openOnPage(archive);
  await app.opened();
  await page.getByTestId("keep").click();
  await page.getByTestId("kept-state").waitFor({ timeout: 60_000 });
  const twice = await storage();
  assert.equal(twice.filter((p) => /^kept\/[^/]+\/$/.test(p)).length, 1, twice.join("\n"));
  assert.deepEqual(twice.map((p) => p.split(" ")[0]), once.map((p) => p.split(" ")[0]));
  await toWelcome();
  await page.getByTestId("kept-archive").waitFor();
  assert.equal(await page.getByTestId("kept-archive").count(), 1);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByTestId("kept-forget-all").click();
  await page.getByTestId("kept").waitFor({ state: "detached" });
  assert.deepEqual(await storage(), [], "nothing is left");
});
