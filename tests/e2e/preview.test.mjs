// Opening shows the first posts while the rest is read: a synthetic archive of 20,000 posts
// (`permafrost synth`) shows preview posts under the progress bar before the archive is open,
// then the real timeline replaces them. A tar.gz's bar goes on from its media into its
// outbox.json. Nothing leaves the page, nothing goes wrong in the console.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { RESULTS, ROOT, assertClean, cli, helped, helperRuns, open, screenshot, waitForCount } from "./harness.mjs";

const POSTS = 20_000;

let session;
let path;
let tarGz;
before(async () => {
  const dir = join(RESULTS, "preview");
  mkdirSync(dir, { recursive: true });
  path = join(dir, "archive.zip");
  // scripts/test-web.sh builds the CLI (debug); a release build, when there is one, is faster.
  const cli = ["release", "debug"].map((p) => join(ROOT, "target", p, "permafrost")).find(existsSync);
  assert.ok(cli, "build the CLI first: cargo build -p permafrost-cli");
  const run = spawnSync(cli, ["synth", "--posts", String(POSTS), "-o", path], { stdio: "inherit" });
  assert.equal(run.status, 0, "permafrost synth failed");
  // As Mastodon wrote archives before 4.2: its media (about 60 MB that do not compress) come
  // before its outbox.json (4.6 MB).
  mkdirSync(join(dir, "tar"), { recursive: true });
  tarGz = join(dir, "tar", "archive.tar.gz");
  const tar = ["synth", "--posts", "2000", "--seed", "7", "--media-bytes", "100000", "--format", "tar.gz", "-o", tarGz];
  assert.equal(spawnSync(cli, tar, { stdio: "inherit" }).status, 0, "permafrost synth failed");
  session = await open();
});
after(async () => {
  await session?.close();
});

test("the first posts show while the archive opens, then the timeline replaces them", async () => {
  const { page } = session;
  // Opening may be quick: a MutationObserver notes what was on screen the first time preview
  // posts showed before the archive's view.
  await page.evaluate(() => {
    window.__preview = null;
    const look = () => {
      if (window.__preview || document.querySelector("[data-testid=archive]")) return;
      const section = document.querySelector("[data-testid=preview]");
      const posts = section ? section.querySelectorAll(":scope > ul > li") : [];
      if (!section || section.hidden || posts.length === 0) return;
      window.__preview = {
        label: section.querySelector("h2")?.textContent ?? "",
        first: posts[0].textContent,
        posts: posts.length,
        height: posts[0].getBoundingClientRect().height,
        media: section.querySelectorAll("img, canvas, video, audio").length,
        progress: !!document.querySelector("[data-testid=opening] progress"),
      };
    };
    new MutationObserver(look).observe(document.body, { childList: true, subtree: true, attributes: true });
  });
  const before = await helperRuns(page);
  assert.equal(before.helpers.length, 1, "a helper worker runs beside the archive's worker");
  await page.getByTestId("file-input").setInputFiles(path);
  await page.getByTestId("opening").waitFor();
  // Keep a picture of it when it is still there.
  try {
    await page.locator("[data-testid=preview] > ul > li").first().waitFor({ timeout: 5_000 });
    await screenshot(page, "opening-preview");
  } catch {
    // Already open: the observer has the proof.
  }
  await session.app.opened();
  const seen = await page.evaluate(() => window.__preview);
  console.log(`# preview before opening: ${JSON.stringify(seen)}`);
  assert.ok(seen, "preview posts were on screen before the archive opened");
  assert.match(seen.label, /First posts, while the rest is read/);
  assert.ok(seen.posts >= 1 && seen.posts <= 20, `${seen.posts} preview posts`);
  assert.ok(seen.height > 0, "the first preview post has a size");
  assert.ok(seen.first.trim().length > 0, "the first preview post has text");
  assert.equal(seen.media, 0, "no media in the preview");
  assert.ok(seen.progress, "the progress bar stays above the preview");
  // The timeline replaced the preview.
  assert.equal(await page.getByTestId("preview").count(), 0);
  await page.getByTestId("post").first().waitFor();
  // Its outbox.json (about 40 MB) was inflated and its text tokenized by the helper, which
  // was then stopped (giving its memory back) and a new one started for the next archive, a
  // moment after the open's answer (crates/worker/src/inflate.rs, RESTART_DELAY_MS).
  const after = await helperRuns(page, before.helpers);
  assert.deepEqual(
    [after.inflated - before.inflated, after.tokenized - before.tokenized],
    [1, 1],
    "one job sent to the helper, and its texts back",
  );
  assert.equal(after.helpers.length, 1, "a helper runs for the next archive");
  assert.ok(!before.helpers.includes(after.helpers[0]), "a new helper, not the one that worked");
  // The index made with the helper's tokens finds what the CLI finds.
  for (const word of ["album", "writ*", "cat -album"]) {
    const expected = Number(cli("search", "--count", path, "--", word).stdout.trim());
    assert.ok(expected > 0 && expected < POSTS, `${word}: ${expected}`);
    await page.getByTestId("search").fill(word);
    await waitForCount(page, `${expected.toLocaleString("en-US")} posts`);
  }
});

test("a tar.gz's opening bar goes on from its media into its outbox.json, never back", async () => {
  const { page } = session;
  // After the test before, an archive is open: closed, the welcome screen is back.
  if (await page.getByTestId("close").count()) await page.getByTestId("close").click();
  await page.getByTestId("file-input").waitFor({ state: "attached" });
  // Every report the page shows: the bar's value beside the text under it, as they change.
  await page.evaluate(() => {
    window.__bar = [];
    new MutationObserver((_, observer) => {
      if (document.querySelector("[data-testid=archive]")) return observer.disconnect();
      const bar = document.querySelector("[data-testid=opening] progress");
      const text = document.querySelector("[data-testid=progress]")?.textContent ?? "";
      const last = window.__bar.at(-1);
      if (bar && !bar.hasAttribute("data-indeterminate") && (last?.text !== text || last?.value !== bar.value)) {
        window.__bar.push({ value: bar.value, text });
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  await page.getByTestId("file-input").setInputFiles(tarGz);
  await session.app.opened();
  const bar = await page.evaluate(() => window.__bar);
  const listed = bar.filter((b) => b.text.startsWith("Reading the archive:"));
  const parsed = bar.filter((b) => b.text.startsWith("Reading posts:"));
  console.log(`# ${listed.length} reports while listed, ${parsed.length} while outbox.json was read`);
  assert.ok(listed.length > 0 && parsed.length > 0, JSON.stringify(bar));
  // The media are most of the file: the listing filled most of the bar...
  const reached = Math.max(...listed.map((b) => b.value));
  assert.ok(reached > 0.5, `the listing reached ${reached}`);
  // ...and reading outbox.json went on from there, to the end.
  assert.ok(parsed[0].value >= reached, `outbox.json started at ${parsed[0].value}, after ${reached}`);
  for (const [i, b] of bar.entries()) {
    assert.ok(i === 0 || b.value >= bar[i - 1].value, `the bar went back: ${JSON.stringify(bar.slice(i - 1, i + 1))}`);
  }
});

test("no request left the page and nothing went wrong in the console", () => {
  assertClean(assert, session);
});
