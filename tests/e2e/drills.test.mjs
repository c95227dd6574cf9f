// Failure drills: what happens when things go wrong while an archive is open or opening. Each
// ends in a clear message, and what could be read stays usable.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertClean, open, screenshot, waitForCount } from "./harness.mjs";
import { writeOutbox } from "./generate.mjs";

const POSTS = 150_000;

let session;
let dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "permafrost-drills-"));
  session = await open();
});
after(async () => {
  await session?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Closes the open archive and chooses a large one: on return, it is opening. */
async function startOpeningLarge() {
  const { page } = session;
  const path = join(dir, "outbox.json");
  writeOutbox(path, POSTS);
  await page.getByTestId("close").click();
  await page.getByTestId("file-input").setInputFiles(path);
  await page.getByTestId("progress").waitFor();
}

test("a file changed on disk while it opens: what was read is shown, with a warning that says why", async () => {
  const { page } = session;
  const path = join(dir, "outbox.json");
  writeOutbox(path, POSTS);
  await page.getByTestId("file-input").setInputFiles(path);
  // Change it once posts are being read: what came before stays.
  await page.waitForFunction(() => /Reading posts: [\d,]+ posts so far/.test(document.querySelector("[data-testid=progress]")?.textContent ?? ""));
  appendFileSync(path, "changed on disk");
  await session.app.opened();
  const warning = page.getByTestId("incomplete");
  await warning.waitFor();
  assert.match(await warning.innerText(), /Not everything could be read/);
  assert.match(await warning.innerText(), /changed or was removed on disk after it was chosen.*choose it again/);
  // What was read is usable: the timeline lists it and searches it.
  const count = await page.getByTestId("count").textContent();
  assert.match(count, /^[\d,]+ posts?$/);
  await screenshot(page, "drill-changed-on-disk");
});

test("an archive dropped on the page while another opens replaces it, and so does one dropped on an open archive (opened instead)", async () => {
  const { page } = session;
  await startOpeningLarge();
  await session.app.dropOnPage("mastodon-export.zip");
  await session.app.opened();
  await waitForCount(page, "18 posts", 30_000);
  assert.equal(await page.getByTestId("incomplete").count(), 0);
  // Dropped on the open archive: the page stays the app, and opens the new one.
  await session.app.openOnPage({ name: "outbox.json", bytes: new TextEncoder().encode(JSON.stringify({ orderedItems: [
    { id: "https://x.example/users/b/statuses/1/activity", type: "Create", actor: "https://x.example/users/b",
      object: { id: "https://x.example/users/b/statuses/1", type: "Note", published: "2024-01-01T00:00:00Z",
        to: ["https://www.w3.org/ns/activitystreams#Public"], content: "<p>the other one</p>" } },
  ] })) });
  await waitForCount(page, "1 post", 30_000);
  assert.equal(new URL(page.url()).protocol, "http:", "still the app");
});


test("the worker dies (out of memory): the page says why and opens the same files again", async () => {
  const { page } = session;
  await session.app.openOnPage("mastodon-export.zip");
  await waitForCount(page, "18 posts", 30_000);
  // How a WebAssembly program that runs out of memory ends: an `unreachable` trap, uncaught.
  const worker = page.workers().at(-1);
  await worker.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError("unreachable"); }));
  const error = page.getByTestId("error");
  await error.waitFor();
  assert.match(await error.innerText(), /ran out of memory for this archive.*command-line tool/s);
  await screenshot(page, "drill-worker-died");
  await page.getByTestId("retry").click();
  await session.app.opened();
  await waitForCount(page, "18 posts", 30_000);
  // The crash was reported as a console error by the browser; nothing else went wrong.
  session.errors.splice(0, session.errors.length, ...session.errors.filter((e) => !/unreachable/.test(e)));
});


test("a tab frozen in the background while an archive opens finishes opening when resumed", async () => {
  const { page } = session;
  await startOpeningLarge();
  // What Chromium does to a hidden tab it freezes to save power, and undoes when it is shown.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Page.setWebLifecycleState", { state: "frozen" });
  await new Promise((r) => setTimeout(r, 1500));
  await cdp.send("Page.setWebLifecycleState", { state: "active" });
  await session.app.opened();
  await waitForCount(page, `${POSTS.toLocaleString("en-US")} posts`, 60_000);
  assert.equal(await page.getByTestId("incomplete").count(), 0);
});

test("nothing left the page, and no console error", () => {
  assertClean(assert, session);
});
