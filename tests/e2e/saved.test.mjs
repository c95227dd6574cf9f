// The "Likes & bookmarks" tab in Chromium: the counts are those of the archive's likes.json (read
// here with JSZip, independently) and of `permafrost inspect` for bookmarks (bookmarks.json and
// bookmarks.csv merged); a server narrows the list to exactly its addresses; the list pages with
// "Show more"; links open nothing until chosen, and name the host they open.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import JSZip from "../../tools/node_modules/jszip/lib/index.js";
import { ROOT, assertClean, cli, open, screenshot, screenshotsInBothThemes } from "./harness.mjs";

const SAMPLE = join(ROOT, "assets", "sample");
let likes;
let session;
before(async () => {
  const zip = await JSZip.loadAsync(readFileSync(join(SAMPLE, "archive.zip")));
  likes = JSON.parse(await zip.file("likes.json").async("string")).orderedItems;
  session = await open();
  await session.page.getByTestId("sample").click();
  await session.app.opened();
  await session.page.getByTestId("tab-saved").click();
});
after(async () => {
  await session?.close();
});

const matching = async () => {
  const count = session.page.getByTestId("saved-count");
  await count.waitFor();
  return Number(await count.getAttribute("data-matching"));
};

test("likes: every address, by server, a page at a time", async () => {
  const { page } = session;
  assert.equal(await matching(), likes.length);
  assert.match(await page.getByTestId("saved-count").textContent(), new RegExp(`^${likes.length} of ${likes.length} liked posts, 0 of them yours\\.`));
  assert.equal(await page.getByTestId("saved-item").count(), Math.min(100, likes.length));
  // Every link goes where its label says, and only when chosen: nothing was requested.
  const links = await page.locator("[data-testid=saved-item] a").evaluateAll((els) =>
    els.map((a) => ({ href: a.href, text: a.textContent, target: a.target, rel: a.rel })),
  );
  assert.ok(links.length > 0);
  for (const l of links) {
    assert.match(l.href, /^https?:\/\//);
    assert.ok(l.text.startsWith(l.href.replace(/\/$/, "")) || l.text.includes(`(${new URL(l.href).host})`), JSON.stringify(l));
    assert.equal(l.target, "_blank");
    assert.match(l.rel, /noopener/);
  }
  // Addresses that are not web pages (OStatus `tag:` URIs) are shown, not linked.
  const tags = likes.filter((u) => !/^https?:/.test(u)).length;
  if (tags) assert.ok((await page.locator("[data-testid=saved-item] code").count()) > 0);

  // A server: exactly its addresses.
  const server = page.getByTestId("saved-servers").locator("[data-filter]").first();
  const host = await server.getAttribute("data-filter");
  const want = likes.filter((u) => u.toLowerCase().includes(host.toLowerCase())).length;
  await server.click();
  await page.waitForFunction(
    (n) => document.querySelector("[data-testid=saved-count]")?.dataset.matching === String(n),
    want,
  );
  assert.equal(await page.getByTestId("saved-filter").inputValue(), host);
  await screenshot(page, "saved-server");

  // Clear the filter, then page through.
  await page.getByTestId("saved-filter").fill("");
  await page.waitForFunction((n) => document.querySelector("[data-testid=saved-count]")?.dataset.matching === String(n), likes.length);
  if (likes.length > 100) {
    // By the keyboard: it goes on from the first item added, not from the top of the page.
    await page.getByTestId("saved-more").focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=saved-item]").length === n, Math.min(200, likes.length));
    await page.waitForFunction(() => document.activeElement?.closest("[data-testid=saved-item]") === document.querySelectorAll("[data-testid=saved-item]")[100]);
  }
  assertClean(assert, session);
});

test("bookmarks: bookmarks.json and bookmarks.csv merged, as `permafrost inspect` counts them", async () => {
  const { page } = session;
  const inspect = JSON.parse(
    cli("inspect", join(SAMPLE, "archive.zip"), join(SAMPLE, "bookmarks.csv"), "--json").stdout,
  );
  await page.getByTestId("saved-bookmarks").click();
  await page.waitForFunction(() => /bookmarked/.test(document.querySelector("[data-testid=saved-count]")?.textContent ?? ""));
  assert.equal(await matching(), inspect.bookmarks);
  assert.equal(await page.getByTestId("saved-bookmarks").getAttribute("aria-pressed"), "true");
  // The list is in the URL: Back returns to the likes, Forward to the bookmarks.
  assert.match(page.url(), /tab=saved&show=bookmarks/);
  await page.goBack();
  await page.waitForFunction(() => /liked/.test(document.querySelector("[data-testid=saved-count]")?.textContent ?? ""));
  await page.goForward();
  await page.waitForFunction(() => /bookmarked/.test(document.querySelector("[data-testid=saved-count]")?.textContent ?? ""));
  await page.setViewportSize({ width: 360, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px too wide at 360 px`);
  await screenshot(page, "saved-360");
  await page.setViewportSize({ width: 1280, height: 900 });
  assertClean(assert, session);
});

test("screenshots at desktop and phone widths, light and dark", async () => {
  const { page } = session;
  await page.getByTestId("saved-likes").click();
  await page.waitForFunction(() => /liked/.test(document.querySelector("[data-testid=saved-count]")?.textContent ?? ""));
  await screenshotsInBothThemes(assert, page, "saved");
  assertClean(assert, session);
});

test("a like of your own post shows that post, and opens it in the timeline", async () => {
  const { page, app } = session;
  const note = (n) => ({
    id: `https://ex.social/users/me/statuses/${n}/activity`,
    type: "Create",
    actor: "https://ex.social/users/me",
    published: `2024-03-0${n}T10:00:00Z`,
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    object: {
      id: `https://ex.social/users/me/statuses/${n}`,
      url: `https://ex.social/@me/${n}`,
      type: "Note",
      published: `2024-03-0${n}T10:00:00Z`,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      content: `<p>note number ${n}</p>`,
    },
  });
  const json = (v) => new TextEncoder().encode(JSON.stringify(v));
  const outbox = { type: "OrderedCollection", orderedItems: [note(1), note(2), note(3)] };
  // Liked by its page's address, and someone else's post.
  const liked = { type: "OrderedCollection", orderedItems: ["https://ex.social/@me/2", "https://other.example/@bob/9"] };
  await page.evaluate(() => (location.hash = ""));
  await app.openOnPage({ name: "outbox.json", bytes: json(outbox) }, { name: "likes.json", bytes: json(liked) });
  await page.getByTestId("count").waitFor();
  await page.getByTestId("tab-saved").click();
  const own = page.getByTestId("saved-own");
  await own.waitFor();
  assert.equal(await own.count(), 1);
  assert.match(await own.textContent(), /note number 2/);
  await own.getByTestId("saved-own-open").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=count]")?.textContent === "1 post");
  assert.match(await page.getByTestId("post").textContent(), /note number 2/);
  assert.equal(decodeURIComponent(await page.evaluate(() => location.hash)), "#q=id:2");
  assertClean(assert, session);
});
