// Opening archives: the real shared fixtures by drop and by picker, archive and CSVs together, the
// sample, and a file that is not an archive. The numbers shown must be those the CLI prints
// (`permafrost inspect --json`).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DATA, RESULTS, assertClean, cli, helped, helperRuns, open, screenshot, waitForCount } from "./harness.mjs";

let session;
before(async () => {
  session = await open();
});
after(async () => {
  await session?.close();
});

/** Posts of a real archive a word finds, as the CLI counts them: the truth for the page's index. */
const found = (word, archive) => Number(cli("search", "--count", join(DATA, archive), "--", word).stdout.trim());

/** Searches in the page and waits for the count the CLI gives for `archive` (of `total` posts). */
async function searchFinds(page, word, archive = "mastodon-export.zip", total = 18) {
  const n = found(word, archive);
  assert.ok(n > 0 && n < total, `"${word}" finds some posts, not all: ${n}`);
  await page.getByTestId("search").fill(word);
  await waitForCount(page, `${n} post${n === 1 ? "" : "s"}`);
}

async function reset() {
  const close = session.page.getByTestId("close");
  if (await close.isVisible()) await close.click();
  await session.page.getByTestId("dropzone").waitFor();
}

test("the welcome screen says nothing leaves the device", async () => {
  const { page } = session;
  await assert.doesNotReject(page.getByTestId("privacy").waitFor());
  assert.match(await page.getByTestId("privacy").textContent(), /Nothing leaves your device/);
  await screenshot(page, "welcome-desktop");
});

test("dropping the real ZIP (Mastodon 4.2) shows its counts", async () => {
  const { app, page } = session;
  await reset();
  await app.drop("mastodon-export.zip");
  await app.opened();
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("format"), "zip");
  assert.equal(await app.stat("handle"), "@lmorchard@toot.lmorchard.com");
  assert.equal(await app.stat("posts"), "18");
  assert.equal(await app.stat("originals"), "18");
  assert.equal(await app.stat("boosts"), "0");
  assert.equal(await app.stat("replies"), "4");
  assert.equal(await app.stat("self_replies"), "3");
  assert.equal(await app.stat("public"), "18");
  assert.equal(await app.stat("likes"), "3");
  assert.equal(await app.stat("media_present"), "1");
  assert.equal(await app.stat("media_without_alt"), "1");
  assert.equal(await app.stat("following"), "—");
  await screenshot(page, "summary-zip", { fullPage: true });
});

test("outbox.json of a ZIP is inflated, and its posts' text tokenized, on the other core", async () => {
  const { app, page } = session;
  await reset();
  // The archive's worker (started anew after the last archive was closed) starts its helper.
  const before = await helperRuns(page);
  assert.equal(before.helpers.length, 1, "a helper worker runs beside the archive's worker");
  await app.drop("mastodon-export.zip");
  await app.opened();
  const after = await helped(page);
  assert.equal(after.inflated - before.inflated, 1, `jobs: ${before.inflated} then ${after.inflated}`);
  assert.equal(after.tokenized - before.tokenized, 1, `tokenized: ${before.tokenized} then ${after.tokenized}`);
  // The index made with the helper's tokens finds what it should (the same words are found
  // without a helper: the next test).
  await searchFinds(page, "mastodon");
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("posts"), "18");
  // Its helper was stopped, and a new one started for the next archive.
  assert.equal((await helperRuns(page)).helpers.length, 1);
});

test("without shared memory there is no helper, and the ZIP opens alike", async () => {
  const plain = await open({ isolated: false });
  try {
    await plain.app.drop("mastodon-export.zip");
    await plain.app.opened();
    await searchFinds(plain.page, "mastodon");
    await plain.page.getByTestId("tab-summary").click();
    assert.equal(await plain.app.stat("posts"), "18");
    assert.equal(await plain.app.stat("likes"), "3");
    const seen = await helped(plain.page);
    assert.deepEqual([seen.helpers.length, seen.inflated, seen.tokenized], [0, 0, 0]);
    assertClean(assert, plain);
  } finally {
    await plain.close();
  }
});

test("choosing the real tar.gz (Mastodon 4.0) with the picker shows its counts", async () => {
  const { app, page } = session;
  await reset();
  await app.pick("mastodon-export.tar.gz");
  await app.opened();
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("format"), "tar.gz");
  assert.equal(await app.stat("posts"), "224");
  assert.equal(await app.stat("originals"), "190");
  assert.equal(await app.stat("boosts"), "34");
  assert.equal(await app.stat("likes"), "147");
  assert.equal(await app.stat("media_referenced"), "8");
  assert.equal(await app.stat("media_present"), "8");
});

test("a tar.gz is inflated on the other core while the archive's worker lists it, and its posts' text tokenized there", async () => {
  const { app, page } = session;
  await reset();
  const before = await helperRuns(page);
  assert.equal(before.helpers.length, 1, "a helper worker runs beside the archive's worker");
  await app.drop("mastodon-export.tar.gz");
  await app.opened();
  const after = await helped(page);
  // The helper inflates the whole gzip stream (a tar.gz has no outbox.json of its own to
  // inflate: it lies inside the stream, after the media).
  assert.equal(after.gzip - before.gzip, 1, `gzip streams: ${before.gzip} then ${after.gzip}`);
  assert.equal(after.inflated - before.inflated, 0, `jobs: ${before.inflated} then ${after.inflated}`);
  assert.equal(after.tokenized - before.tokenized, 1, `tokenized: ${before.tokenized} then ${after.tokenized}`);
  // The index made with the helper's tokens finds what the CLI finds (words no other word of
  // the archive starts with: the search box also finds the last word typed as a prefix).
  for (const word of ["mastodon", "fediverse", '"this is"']) await searchFinds(page, word, "mastodon-export.tar.gz", 224);
});

// The helper finds the damage first, but the worker's listing then inflates the rest itself
// (crates/archive/src/inflated.rs): the user reads what the CLI says. The worker that failed is
// replaced at once, so the next archive finds its helper ready.
test("a tar.gz cut short or damaged, inflated on the other core, says what the CLI says", async () => {
  const { app, page } = session;
  const whole = readFileSync(join(DATA, "mastodon-export.tar.gz"));
  const damaged = Buffer.from(whole);
  const middle = Math.floor(damaged.length / 2);
  for (let i = middle; i < middle + 64; i++) damaged[i] ^= 0x5a;
  const files = [
    // Cut among the media, which come first: no post arrived, and the message says why.
    ["cut.tar.gz", whole.subarray(0, Math.floor((whole.length * 2) / 3)), /ends early, at byte [\d,]+, before outbox\.json: .* the posts come after the media/],
    ["damaged.tar.gz", damaged, /damaged \(in the gzip data: incorrect data check\)/],
  ];
  for (const [name, bytes, expected] of files) {
    await reset();
    const path = join(RESULTS, name);
    writeFileSync(path, bytes);
    // The CLI fails too (`cli` throws with its stderr): its message, without its name.
    let said = "";
    assert.throws(() => cli("inspect", path), (e) => {
      said = e.message.replace(/^[^]*?: exit \d+: permafrost: /, "").trim();
      return said.length > 0;
    });
    await helperRuns(page);
    // The worker that fails and its helper are ended by the page at once, and end at once: the
    // helper's job ends with the open (a worker still busy at a job is ended by Chromium only
    // after 2 s, and one ended that way was, now and then, left listed and never answering).
    // (The rehearsal's worker and its helper end by themselves, in a test run alone.)
    for (let i = 0; i < 100 && page.workers().length > 2; i++) await page.waitForTimeout(100);
    const failing = page.workers();
    const ended = Promise.all(failing.map((w) => new Promise((resolve) => w.once("close", () => resolve(Date.now())))));
    await app.drop({ name, bytes });
    const error = page.getByTestId("error");
    await error.waitFor();
    const shown = Date.now();
    const last = await Promise.race([ended.then((at) => Math.max(...at)), new Promise((resolve) => setTimeout(() => resolve(Infinity), 5_000))]);
    assert.equal(failing.length, 2, "the archive's worker and its helper");
    assert.ok(last - shown < 1_500, `${name}: the failed worker and its helper ended ${last - shown} ms after the error showed`);
    const text = await error.textContent();
    assert.match(text, expected);
    // The page writes the numbers in it as it writes every number (1,670,674), the CLI bare.
    const bare = text.replace(/(\d),(?=\d{3}\b)/g, "$1");
    assert.ok(bare.includes(said), `${name}: the page says "${text}", the CLI "${said}"`);
  }
  await reset();
  const before = await helperRuns(page);
  await app.drop("mastodon-export.tar.gz");
  await app.opened();
  const after = await helped(page);
  assert.equal(after.gzip - before.gzip, 1, "the archive after a failed open is inflated by the helper");
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("posts"), "224");
});

test("the archive and CSV exports dropped together are read together", async () => {
  const { app, page } = session;
  await reset();
  await app.drop("following_accounts.csv", "mastodon-export.zip", "blocked_accounts.csv");
  await app.opened();
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("posts"), "18");
  assert.equal(await app.stat("following"), "797");
  assert.equal(await app.stat("blocks"), "3");
  assert.equal(await app.stat("mutes"), "—");
});

test("an extracted archive opens from the folder picker", async () => {
  const { app, page } = session;
  await reset();
  const folder = join(RESULTS, "extracted", "mastodon-export");
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  execFileSync("python3", ["-m", "zipfile", "-e", join(DATA, "mastodon-export.zip"), folder]);
  await page.getByTestId("folder-input").setInputFiles(folder);
  await app.opened();
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("format"), "folder");
  assert.equal(await app.stat("posts"), "18");
  assert.equal(await app.stat("media_present"), "1");
});

test("the sample archive opens with its CSVs", async () => {
  const { app, page } = session;
  await reset();
  await page.getByTestId("sample").click();
  await app.opened();
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("posts"), "300");
  assert.equal(await app.stat("following"), "42");
  assert.equal(await app.stat("domain_blocks"), "3");
  await page.getByTestId("diagnostics-none").or(page.getByTestId("diagnostics")).waitFor();
});

test("an interrupted download of the ZIP opens with every post and says what is missing", async () => {
  const { app, page } = session;
  await reset();
  // Cut inside the photo that follows outbox.json: its 18 posts arrived, the photo did not.
  const bytes = readFileSync(join(DATA, "mastodon-export.zip")).subarray(0, 500_000);
  await app.drop({ name: "mastodon-export.zip", bytes });
  await app.opened();
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("posts"), "18");
  assert.equal(await app.stat("media_present"), "0");
  assert.equal(await app.stat("media_missing"), "1");
  const notes = page.getByTestId("diagnostics");
  await notes.locator("summary").first().click();
  const text = await notes.textContent();
  assert.match(text, /ends early, at byte 500,?000, inside media_attachments\//);
  assert.match(text, /download the archive again/);
  await screenshot(page, "summary-zip-cut", { fullPage: true });
});

test("a download stopped inside outbox.json opens with the posts before the cut, as the CLI reads them", async () => {
  const { app, page } = session;
  await reset();
  // outbox.json comes first (3,919 bytes deflated): cut inside it, 14 of its 18 posts arrived.
  const bytes = readFileSync(join(DATA, "mastodon-export.zip")).subarray(0, 3_000);
  const path = join(RESULTS, "cut-inside-outbox.zip");
  writeFileSync(path, bytes);
  const posts = JSON.parse(cli("inspect", "--json", path).stdout).posts;
  assert.ok(posts > 0 && posts < 18, `the CLI reads ${posts} posts`);
  await app.drop({ name: "mastodon-export.zip", bytes });
  await app.opened();
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("posts"), String(posts));
  const notes = page.getByTestId("diagnostics");
  await notes.locator("summary").first().click();
  const text = await notes.textContent();
  assert.match(text, /ends early, at byte 3,?000, inside outbox\.json/);
  assert.match(text, /The posts before that point were read/);
  // Said once: outbox.json's reader, stopped by the same cut, does not say it again.
  assert.doesNotMatch(text, /reading stopped/);
  await page.getByTestId("tab-posts").click();
  assert.equal(await page.getByTestId("incomplete").locator("li").count(), 1);
});

// A tar.gz (Mastodon before 4.2) has its media first, then outbox.json, likes, bookmarks, the
// avatar, the header and actor.json. The helper inflating its gzip stream fails at the cut; the
// worker's listing inflates what arrived itself, and keeps it (crates/archive/src/tar.rs).
test("a tar.gz stopped inside outbox.json, inflated on the other core, opens with the posts before the cut", async () => {
  const { app, page } = session;
  await reset();
  const whole = readFileSync(join(DATA, "mastodon-export.tar.gz"));
  // 120 KB before the end: inside outbox.json (the header image, 76 KB, comes after it).
  const cut = whole.length - 120_000;
  const bytes = whole.subarray(0, cut);
  const path = join(RESULTS, "cut-inside-outbox.tar.gz");
  writeFileSync(path, bytes);
  const posts = JSON.parse(cli("inspect", "--json", path).stdout).posts;
  assert.ok(posts > 0 && posts < 224, `the CLI reads ${posts} posts`);
  const before = await helped(page);
  await app.drop({ name: "mastodon-export.tar.gz", bytes });
  await app.opened();
  const after = await helped(page);
  assert.equal(after.gzip - before.gzip, 1, "the helper was given the gzip stream");
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("posts"), String(posts));
  // The media before outbox.json arrived, read from the access points listing recorded.
  assert.equal(await app.stat("media_missing"), "0");
  const notes = page.getByTestId("diagnostics");
  await notes.locator("summary").first().click();
  const text = await notes.textContent();
  assert.match(text, new RegExp(`ends early, at byte ${cut.toLocaleString("en-US").replace(/,/g, ",?")}, inside outbox\\.json`));
  assert.doesNotMatch(text, /reading stopped/);
  await page.getByTestId("tab-posts").click();
  assert.equal(await page.getByTestId("incomplete").locator("li").count(), 1);
  // A photo of a post read from the cut archive shows.
  await page.getByTestId("search").fill("has:media");
  await page.locator(".media canvas[data-drawn], .media [data-testid=media-play]").first().waitFor();
  // Exported (outbox.json read again, up to the cut), the posts read back as the CLI writes them.
  await page.getByTestId("search").fill("");
  await waitForCount(page, `${posts} posts`);
  await page.getByTestId("export").click();
  const dialog = page.getByRole("dialog", { name: "Export" });
  await dialog.getByTestId("export-results").check();
  await dialog.getByTestId("format-json").check();
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), dialog.getByTestId("export-start").click()]);
  const exported = join(RESULTS, "cut-inside-outbox-page.json");
  await download.saveAs(exported);
  const written = join(RESULTS, "cut-inside-outbox-cli.json");
  cli("export", "--format", "json", "-o", written, path);
  assert.equal(JSON.parse(readFileSync(exported, "utf8")).orderedItems.length, posts);
  assert.ok(readFileSync(exported).equals(readFileSync(written)), "the page's export is the CLI's, byte for byte");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
});

test("a file that is not an archive gets a friendly error", async () => {
  const { app, page } = session;
  await reset();
  await app.drop({ name: "notes.txt", bytes: new TextEncoder().encode("just some notes\n") });
  const error = page.getByTestId("error");
  await error.waitFor();
  assert.match(await error.textContent(), /outbox\.json|not a Mastodon|archive/i);
  await screenshot(page, "error");
});

// Starting a worker means loading and compiling its wasm (about 150 ms at every open, profiled):
// the welcome screen starts one and only asks it what is kept on the device, which leaves it
// empty, so the archive opens in it. A worker that held an archive is replaced.
test("an archive opens in the worker the welcome screen started", async () => {
  const { app, page } = session;
  await page.addInitScript(() => {
    const Original = window.Worker;
    window.__workersStarted = 0;
    window.Worker = class extends Original {
      constructor(url, options) {
        super(url, options);
        // The rehearsal's throwaway worker (see the next test) is not the one an archive opens in.
        if (options?.name !== "permafrost-rehearsal") window.__workersStarted += 1;
      }
    };
  });
  await page.reload();
  await page.getByTestId("dropzone").waitFor();
  // The welcome screen asks the worker for the archives kept on the device.
  await page.waitForFunction(() => window.__workersStarted >= 1);
  const started = () => page.evaluate(() => window.__workersStarted);
  assert.equal(await started(), 1);
  await app.drop("mastodon-export.zip");
  await app.opened();
  assert.equal(await started(), 1, "the archive opened in the worker already running");
  // Closing drops the archive with its worker; the next one opens in the one started then.
  await page.getByTestId("close").click();
  await page.getByTestId("dropzone").waitFor();
  assert.equal(await started(), 2);
  await app.drop("mastodon-export.tar.gz");
  await app.opened();
  assert.equal(await started(), 2);
});

// While the user picks a file, the page rehearses an open with the sample archive in a
// throwaway worker, which then ends by itself: the browser compiles the code that reads an
// archive then, not while the user's archive is read. Its module is compiled once by the page
// and shared with every worker (the wasm is fetched once); nothing it read is kept; then the
// sample's view is drawn unseen with it and both go; and an archive dropped while either runs
// stops it and opens as usual.
test("the open rehearsed with the sample, and its view drawn unseen, end by themselves, keep nothing, and yield to the user's archive", async () => {
  const { app, page } = session;
  const wasm = () => session.requests.filter((u) => u.endsWith("/worker_bg.wasm")).length;
  await page.addInitScript(() => {
    const Original = window.Worker;
    window.__rehearsals = { started: 0, ended: 0 };
    // What the rehearsal asked of its worker after opening (its searches), and the types of the
    // answers to them (the opens are request 0).
    window.__rehearsed = { asked: [], answered: [] };
    window.Worker = class extends Original {
      constructor(url, options) {
        super(url, options);
        if (options?.name === "permafrost-rehearsal") {
          window.__rehearsals.started += 1;
          const terminate = this.terminate.bind(this);
          this.terminate = () => ((window.__rehearsals.ended += 1), terminate());
          const post = this.postMessage.bind(this);
          this.postMessage = (message, ...rest) => {
            if (Array.isArray(message) && typeof message[0] === "string") {
              const { id, body } = JSON.parse(message[0]);
              if (id > 0) window.__rehearsed.asked.push(body.type === "Search" ? `Search ${body.query}` : body.type);
            }
            return post(message, ...rest);
          };
          this.addEventListener("message", (event) => {
            if (!Array.isArray(event.data) || typeof event.data[0] !== "string") return;
            const { id, body } = JSON.parse(event.data[0]);
            if (id > 0) window.__rehearsed.answered.push(body.type);
          });
        }
      }
    };
  });
  const rehearsals = () => page.evaluate(() => window.__rehearsals);
  const kept = () =>
    page.evaluate(async () => {
      const names = [];
      for await (const name of (await navigator.storage.getDirectory()).keys()) names.push(name);
      return names;
    });

  // Left alone, the rehearsal runs once. Then the page draws the sample's view with its
  // worker, unseen (src/ui/warm_up.rs): in a closed shadow root of a hidden, inert element,
  // which nothing on the page can reach, and which leaves the URL, the focus and the page's
  // elements as they were.
  const before = wasm();
  await page.reload();
  await page.getByTestId("dropzone").waitFor();
  const url = page.url();
  await page.locator(".unseen").waitFor({ state: "attached", timeout: 30_000 });
  const unseen = await page.evaluate(() => {
    const host = document.querySelector(".unseen");
    const style = getComputedStyle(host);
    return {
      hosts: document.querySelectorAll(".unseen").length,
      shadow: host.shadowRoot,
      inert: host.inert,
      hidden: host.getAttribute("aria-hidden"),
      visibility: style.visibility,
      position: style.position,
      archive: document.querySelectorAll('[data-testid="archive"], [data-testid="post"], [data-testid="count"]').length,
      focused: document.activeElement === document.body,
    };
  });
  assert.deepEqual(unseen, { hosts: 1, shadow: null, inert: true, hidden: "true", visibility: "hidden", position: "fixed", archive: 0, focused: true });
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true, "the keyboard is the page's");
  // It lives a moment, then goes, with the rehearsal's worker.
  await page.waitForFunction(() => window.__rehearsals.ended === 1, null, { timeout: 30_000 });
  assert.deepEqual(await rehearsals(), { started: 1, ended: 1 });
  assert.equal(await page.locator(".unseen").count(), 0, "the unseen view is gone with its worker");
  assert.equal(page.url(), url, "the URL is the page's");
  // The rehearsal searched the sample (the browser compiles the search's code then, not at the
  // user's first keystroke), every search was answered with results; then the unseen view asked
  // for its posts (all of them: the view a new archive opens on; the answer comes through the
  // memory the page shares with the worker, not as a message) and, once it had drawn them, for
  // their facets, which came; then a query was typed into its search box (the page's code for
  // a query's answer compiled before the user's first keystroke), and asked for.
  const { asked, answered } = await page.evaluate(() => window.__rehearsed);
  const searches = asked.slice(0, 6);
  assert.ok(searches.includes("Search coffee") && searches.includes("Search 咖啡"), asked.join(", "));
  assert.ok(searches.every((a) => a.startsWith("Search ")), asked.join(", "));
  assert.deepEqual(answered.slice(0, 6), Array(6).fill("Results"));
  const viewed = asked.slice(6);
  assert.equal(viewed[0], "Search ", asked.join(", "));
  assert.ok(viewed.includes("Facets"), asked.join(", "));
  assert.ok(viewed.indexOf("Search coffee") > viewed.indexOf("Facets"), asked.join(", "));
  assert.ok(answered.slice(6).includes("Facets"), answered.join(", "));
  assert.ok(!answered.includes("Error"), answered.join(", "));
  assert.equal(wasm() - before, 1, "the worker's wasm is fetched once, for both workers");
  assert.deepEqual(await kept(), [], "nothing is stored on the device");
  assert.equal(await page.getByTestId("kept-archive").count(), 0, "no archive is listed as kept");
  // The user's archive opens in the page's worker, after the rehearsal and without it.
  await app.drop("mastodon-export.zip");
  await app.opened();
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("handle"), "@lmorchard@toot.lmorchard.com");
  // Another archive: a new worker, with the same module (not fetched again), no new rehearsal.
  await page.getByTestId("close").click();
  await app.drop("mastodon-export.tar.gz");
  await app.opened();
  assert.equal(wasm() - before, 1, "the wasm is not fetched again for the next worker");
  assert.deepEqual(await rehearsals(), { started: 1, ended: 1 }, "one rehearsal per page");

  // An archive dropped while the rehearsal runs stops it, and opens.
  await page.reload();
  await page.getByTestId("dropzone").waitFor();
  await page.waitForFunction(() => window.__rehearsals.started === 1, null, { timeout: 30_000 });
  await app.drop("mastodon-export.zip");
  await app.opened();
  assert.deepEqual(await rehearsals(), { started: 1, ended: 1 }, "the rehearsal was stopped");
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("handle"), "@lmorchard@toot.lmorchard.com");
  assert.deepEqual(await kept(), []);

  // An archive dropped while the sample's view is drawn unseen ends it, and opens.
  await page.reload();
  await page.getByTestId("dropzone").waitFor();
  await page.locator(".unseen").waitFor({ state: "attached", timeout: 30_000 });
  await app.drop("mastodon-export.zip");
  await app.opened();
  assert.equal(await page.locator(".unseen").count(), 0);
  assert.deepEqual(await rehearsals(), { started: 1, ended: 1 }, "its worker was stopped");
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("handle"), "@lmorchard@toot.lmorchard.com");
  assert.equal(await page.getByTestId("archive").count(), 1);
});

test("no request left the page and nothing went wrong in the console", () => {
  assertClean(assert, session);
  // Sanity: the log does see the app's own files.
  assert.ok(session.requests.some((u) => u.endsWith(".wasm")));
});
