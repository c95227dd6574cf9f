// Threads in Chromium: from any post of a chain of your own replies, the whole chain opens in
// order (`thread:ID`, the count `permafrost search` gives), with a note that says where it
// starts when that post is not in the archive; and the timeline can show each chain as its
// first post only.

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT, assertClean, cli, open, screenshot, screenshotsInBothThemes, waitForCount } from "./harness.mjs";

const ARCHIVE = join(ROOT, "assets", "sample", "archive.zip");
const count = (query) => Number(cli("search", "--count", ARCHIVE, "--", query).stdout.trim());
const posts = (n) => `${n} post${n === 1 ? "" : "s"}`;

let session;
before(async () => {
  session = await open();
  await session.page.getByTestId("sample").click();
  await session.app.opened();
});
after(async () => {
  await session?.close();
});

test("a post of a chain opens the whole chain, oldest first, and Back returns", async () => {
  const { page } = session;
  await page.getByTestId("search").fill("is:self-reply");
  await waitForCount(page, posts(count("is:self-reply")));
  const link = page.getByTestId("open-thread").first();
  const href = await link.getAttribute("href");
  const id = decodeURIComponent(href).match(/thread:([^&]+)/)[1];
  const n = count(`thread:${id}`);
  assert.ok(n >= 2, `a chain: ${n}`);
  assert.equal(await link.textContent(), `Thread (${n} posts)`);
  await link.click();
  await waitForCount(page, posts(n));
  const note = page.getByTestId("thread-note");
  assert.equal(await note.locator("strong").textContent(), `A thread of ${posts(n)}`);
  assert.equal(await page.evaluate(() => location.hash), `#q=thread%3A${id}&sort=oldest`);
  // Every post of it, oldest first, none offering the thread it is in already.
  const shown = page.getByTestId("post");
  await shown.nth(n - 1).waitFor();
  const times = await shown.locator("time[datetime]").evaluateAll((els) => els.map((e) => e.getAttribute("datetime")));
  assert.equal(times.length, n);
  assert.deepEqual([...times].sort(), times, "oldest first");
  assert.equal(await page.getByTestId("open-thread").count(), 0);
  // Its first post starts it here: no "starts elsewhere" note.
  assert.equal(await page.getByTestId("thread-starts-elsewhere").count(), 0);
  await screenshot(page, "thread-1280");
  await page.goBack();
  await waitForCount(page, posts(count("is:self-reply")));
  await page.getByTestId("thread-note").waitFor({ state: "hidden" });
  // Newest first and collapsed: the note still counts every post, and says no order.
  await link.click();
  await waitForCount(page, posts(n));
  await page.getByTestId("sort").selectOption("newest");
  await page.getByTestId("collapse-threads").check();
  await page.waitForFunction(() => !/oldest first/.test(document.querySelector("[data-testid=thread-note]")?.textContent ?? "oldest first"));
  assert.equal(await note.locator("strong").textContent(), `A thread of ${posts(n)}`);
  await page.getByTestId("collapse-threads").uncheck();
  await page.getByTestId("sort").selectOption("oldest");
  // Cleared, the box leaves the thread, and its order with it.
  await page.getByTestId("search").fill("");
  await page.waitForFunction(() => !location.hash.includes("sort=oldest"));
  assert.equal(await page.getByTestId("sort").inputValue(), "newest");
  assertClean(assert, session);
});

test("on a phone, a thread opened by keyboard is in view below the search bar, with the focus", async () => {
  const { page } = session;
  await page.setViewportSize({ width: 360, height: 800 });
  try {
    await page.getByTestId("search").fill("is:self-reply");
    await waitForCount(page, posts(count("is:self-reply")));
    // The last link drawn: at this width the list starts a screen below the profile, so the
    // page is scrolled well past it.
    await page.getByTestId("open-thread").first().waitFor();
    // The list draws its rows for the new width on a later frame: let it settle, then pick the
    // last link drawn and scroll to it in one step, so that no redraw comes in between.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const href = await page.evaluate(() => {
      const links = document.querySelectorAll("[data-testid=open-thread]");
      const last = links[links.length - 1];
      last.scrollIntoView({ block: "center" });
      return last.getAttribute("href");
    });
    // Named by its address: more rows are drawn as the page scrolls, and "the last" moves.
    const link = page.locator(`[data-testid=open-thread][href="${href}"]`).first();
    await link.scrollIntoViewIfNeeded();
    const n = Number((await link.textContent()).match(/\d+/)[0]);
    await link.focus();
    await page.keyboard.press("Enter");
    await waitForCount(page, posts(n));
    const note = page.getByTestId("thread-note");
    await page.waitForFunction(() => document.activeElement?.dataset.testid === "thread-note");
    await page.waitForTimeout(300);
    const place = await note.evaluate((el) => {
      const bar = document.querySelector(".search-bar").getBoundingClientRect();
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, bar: bar.bottom, height: innerHeight, scrolled: scrollY };
    });
    assert.ok(place.top >= place.bar - 1 && place.bottom <= place.height, JSON.stringify(place));
    assert.ok(place.scrolled > 0, "the profile is not what the window shows");
    // The thread's first post follows the note on the screen.
    const first = await page.getByTestId("post").first().evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(first < place.height, `first post at ${first}`);
    // "Show all posts" leaves the keyboard on the count of all posts.
    await note.locator("[data-all]").focus();
    await page.keyboard.press("Enter");
    await waitForCount(page, "300 posts");
    await page.waitForFunction(() => document.activeElement?.dataset.testid === "count");
    // Back: to the thread, then to the result it was opened from.
    await page.goBack();
    await waitForCount(page, posts(n));
    await page.goBack();
    await waitForCount(page, posts(count("is:self-reply")));
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  assertClean(assert, session);
});

test("collapsed, each chain shows as its first post, kept in the URL", async () => {
  const { page } = session;
  await page.getByTestId("search").fill("");
  await waitForCount(page, "300 posts");
  await page.getByTestId("collapse-threads").check();
  // With the empty query every post matches: the chains' first posts are the posts that are
  // no self-reply.
  const firsts = count("-is:self-reply");
  await waitForCount(page, `${posts(firsts)} · threads collapsed (300 matching)`);
  assert.match(await page.evaluate(() => location.hash), /threads=collapsed/);
  // A query matching only replies shows the chains they are in, each once.
  await page.getByTestId("search").fill("is:self-reply");
  const chains = count("is:thread -is:self-reply");
  await waitForCount(page, `${posts(chains)} · threads collapsed (${count("is:self-reply")} matching)`);
  const first = page.getByTestId("post").first();
  assert.match(await first.getByTestId("open-thread").textContent(), /^Thread \(\d+ posts\)$/);
  // Reloading keeps it (once typing has paused, the URL has the query); unchecking shows
  // every match again.
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes("q=is:self-reply"));
  await page.reload();
  await page.getByTestId("sample").click();
  await session.app.opened();
  assert.equal(await page.getByTestId("collapse-threads").isChecked(), true);
  await page.getByTestId("collapse-threads").uncheck();
  await waitForCount(page, posts(count("is:self-reply")));
  assertClean(assert, session);
});

test("a chain that replies to someone else's post says where it starts", async () => {
  const { page } = session;
  const note = (n, extra) => ({
    id: `https://ex.social/users/me/statuses/${n}/activity`,
    type: "Create",
    actor: "https://ex.social/users/me",
    published: `2024-01-0${n}T10:00:00Z`,
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    object: {
      id: `https://ex.social/users/me/statuses/${n}`,
      type: "Note",
      published: `2024-01-0${n}T10:00:00Z`,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      content: `<p>part ${n}</p>`,
      ...extra,
    },
  });
  const outbox = {
    "@context": "https://www.w3.org/ns/activitystreams",
    type: "OrderedCollection",
    orderedItems: [
      note(1, { inReplyTo: "https://other.example/users/bob/statuses/77" }),
      note(2, { inReplyTo: "https://ex.social/users/me/statuses/1" }),
      note(3, { inReplyTo: "https://ex.social/users/me/statuses/2" }),
      note(4, {}),
    ],
  };
  await page.evaluate(() => (location.hash = ""));
  await session.app.openOnPage({ name: "outbox.json", bytes: new TextEncoder().encode(JSON.stringify(outbox)) });
  await waitForCount(page, "4 posts");
  await page.getByTestId("open-thread").first().click();
  await waitForCount(page, "3 posts");
  const elsewhere = page.getByTestId("thread-starts-elsewhere");
  await elsewhere.waitFor();
  const link = elsewhere.locator("a");
  assert.equal(await link.getAttribute("href"), "https://other.example/users/bob/statuses/77");
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.match(await elsewhere.textContent(), /other\.example/);
  await screenshotsInBothThemes(assert, page, "thread");
  assertClean(assert, session);
});
