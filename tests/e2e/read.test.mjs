// Reading and searching the sample archive (300 synthetic posts; the counts are those of
// `permafrost search --count` on the same file): search as you type, facets in step with the
// query, the back button, hashtags that filter, order, highlights, content warnings, raw JSON,
// keyboard shortcuts, the lightbox, media from the archive, and screenshots at two widths.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertClean, open, screenshot, waitForCount } from "./harness.mjs";

let session;
before(async () => {
  session = await open();
  await session.page.getByTestId("sample").click();
  await session.app.opened();
  await session.page.getByTestId("post").first().waitFor();
});
after(async () => {
  await session?.close();
});

const count = () => session.page.getByTestId("count").textContent();
const countIs = (text) => waitForCount(session.page, text);
/** Waits for the count to change from `text` (a new search's answer), and returns it. */
const countChangesFrom = async (text) => {
  await session.page.waitForFunction(
    (was) => !["", was].includes(document.querySelector("[data-testid=count]")?.textContent ?? ""),
    text,
  );
  return count();
};
const query = () => session.page.getByTestId("search").inputValue();
const hash = () => session.page.evaluate(() => decodeURIComponent(location.hash));

test("every post is listed, with the count in a status region", async () => {
  const { page } = session;
  await countIs("300 posts");
  assert.equal(await page.locator("[role=status][data-testid=count]").count(), 1);
  await screenshot(page, "posts-desktop");
  await screenshot(page, "posts-desktop-full", { fullPage: true });
});

test("results update as you type, and the query goes into the URL", async () => {
  const { page } = session;
  await page.getByTestId("search").fill("has:image");
  await countIs("39 posts");
  // The URL takes the query once typing pauses (a moment after the count).
  await page.waitForFunction(() => /q=has:image/.test(decodeURIComponent(location.hash)));
  await page.getByTestId("search").fill("has:image during:2024");
  await countIs("12 posts");
});

test("facets edit the query, the query edits the facets, and back goes back", async () => {
  const { page } = session;
  await page.getByTestId("search").fill("");
  await countIs("300 posts");
  const year = page.locator("[data-facet=year] button[data-term='during:2024']");
  await year.click();
  await countIs("108 posts");
  assert.equal(await query(), "during:2024");
  assert.equal(await year.getAttribute("aria-pressed"), "true");
  const cw = page.locator("[data-facet=cw] button[data-term='has:cw']");
  await cw.click();
  assert.equal(await query(), "during:2024 has:cw");
  // The new count comes with the answer to the new search: wait for it (reading it at once raced).
  const narrowed = await countChangesFrom("108 posts");
  assert.match(narrowed, /^\d+ posts?$/);
  // Typing changes the facets: clearing the query unpresses the year.
  await page.getByTestId("search").fill("has:cw");
  await countIs("22 posts");
  assert.equal(
    await page.locator("[data-facet=year] button[data-term='during:2024']").getAttribute("aria-pressed"),
    "false",
  );
  // Back: to the two facets, then to one.
  await page.goBack();
  await countIs(narrowed);
  assert.equal(await query(), "during:2024 has:cw");
  await page.goBack();
  await countIs("108 posts");
  assert.equal(await query(), "during:2024");
  await page.goForward();
  await countIs(narrowed);
  await screenshot(page, "facets");
});

test("a hashtag in a post filters by it", async () => {
  const { page } = session;
  await page.getByTestId("search").fill("#rust");
  await countIs("9 posts");
  await page.getByTestId("search").fill("");
  await countIs("300 posts");
  // Only the posts near the viewport are drawn: scroll until one with a hashtag is.
  for (let i = 0; i < 30 && (await page.locator("[data-testid=post] a.hashtag").count()) === 0; i++) {
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(100);
  }
  const tag = page.locator("[data-testid=post] a.hashtag").first();
  const name = (await tag.textContent()).trim();
  await tag.click();
  // With a space after it: the tag itself, not every tag that starts with it.
  assert.equal(await query(), `${name} `);
  assert.match(await countChangesFrom("300 posts"), /^\d+ posts?$/);
});

test("matches are highlighted and the order can change", async () => {
  const { page } = session;
  await page.getByTestId("search").fill("coffee ");
  await countIs("11 posts");
  const marks = await page.locator("[data-testid=post] mark").allTextContents();
  assert.ok(marks.length > 0, "some words are marked");
  assert.ok(marks.every((m) => m.toLowerCase().startsWith("coffee")), marks.join(","));
  await page.getByTestId("search").fill("");
  await page.getByTestId("sort").selectOption("oldest");
  await page.waitForFunction(() => location.hash.includes("sort=oldest"));
  await page.waitForFunction(
    () => document.querySelector("[data-testid=post] time")?.getAttribute("datetime")?.startsWith("2023-01-13"),
  );
  await page.getByTestId("sort").selectOption("newest");
});

test("content warnings are collapsed until opened, raw JSON is there on request", async () => {
  const { page } = session;
  await page.getByTestId("search").fill("has:cw");
  await countIs("22 posts");
  const post = page.getByTestId("post").first();
  const content = post.locator(".post-content");
  assert.equal(await content.isVisible(), false);
  await post.getByTestId("cw-toggle").click();
  assert.equal(await content.isVisible(), true);
  await post.locator(".raw-json summary").click();
  await post.locator(".raw-json pre", { hasText: '"type"' }).waitFor();
  // A poll is behind its warning too, with the text it belongs to.
  await page.getByTestId("search").fill("has:cw is:poll");
  await countIs("1 post");
  const polled = page.getByTestId("post").first();
  assert.equal(await polled.getByTestId("poll").isVisible(), false);
  await polled.getByTestId("cw-toggle").click();
  assert.equal(await polled.getByTestId("poll").isVisible(), true);
});

test("a mistake made many times in a query is said once", async () => {
  const { page } = session;
  await page.getByTestId("search").fill(`${"(".repeat(60)}coffee${")".repeat(60)} `);
  const lines = page.getByTestId("query-errors").locator("li");
  await lines.first().waitFor();
  const texts = await lines.allTextContents();
  assert.equal(new Set(texts).size, texts.length, texts.join("\n"));
  assert.ok(texts.some((t) => /nested too deeply/.test(t)), texts.join("\n"));
  await page.getByTestId("search").fill("");
});

test("Tab from the search box goes on to the order, past a long list of suggestions", async () => {
  const { page } = session;
  await page.getByTestId("search").fill("");
  await page.getByTestId("search").focus();
  await page.keyboard.type("has:");
  await page.locator("#suggestions li").nth(5).waitFor();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "sort");
  await page.getByTestId("search").fill("");
});

test("keyboard: / searches, j and k move, ? lists the shortcuts, Escape closes", async () => {
  const { page } = session;
  await page.getByTestId("search").fill("");
  await countIs("300 posts");
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "search");
  await page.keyboard.press("Escape");
  await page.locator("h1").first().click();
  const focused = () => page.evaluate(() => document.activeElement?.closest("li[data-pos]")?.dataset.pos);
  const focusIs = (pos) =>
    page.waitForFunction((p) => document.activeElement?.closest("li[data-pos]")?.dataset.pos === p, pos);
  await page.keyboard.press("j");
  await page.waitForFunction(() => document.activeElement?.closest("li[data-pos]"));
  const first = Number(await focused());
  await page.keyboard.press("j");
  await focusIs(String(first + 1));
  await page.keyboard.press("j");
  await focusIs(String(first + 2));
  await page.keyboard.press("k");
  await focusIs(String(first + 1));
  assert.equal(await page.locator("li.current").count(), 1);
  await page.keyboard.press("?");
  await page.getByTestId("dialog").waitFor();
  await page.keyboard.press("Escape");
  await page.getByTestId("dialog").waitFor({ state: "detached" });
});

test("the lightbox moves through all media of the results with the keyboard", async () => {
  const { page } = session;
  await page.getByTestId("search").fill("has:image");
  await countIs("39 posts");
  await page.locator("button.media-open").first().click();
  const box = page.getByTestId("lightbox");
  await box.waitFor();
  const where = async () => `${await box.getAttribute("data-post")}/${await box.getAttribute("data-index")}`;
  const seen = [await where()];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction((prev) => {
      const b = document.querySelector("[data-testid=lightbox]");
      return b && `${b.dataset.post}/${b.dataset.index}` !== prev;
    }, seen[seen.length - 1]);
    seen.push(await where());
  }
  assert.equal(new Set(seen).size, 5, `five different media: ${seen}`);
  assert.ok(new Set(seen.map((s) => s.split("/")[0])).size >= 2, "across posts");
  await page.keyboard.press("ArrowLeft");
  await page.waitForFunction((want) => {
    const b = document.querySelector("[data-testid=lightbox]");
    return b && `${b.dataset.post}/${b.dataset.index}` === want;
  }, seen[3]);
  await screenshot(page, "lightbox");
  await page.keyboard.press("Escape");
  await box.waitFor({ state: "detached" });
  // Home and End: the first and the last media of the post shown ("3 of 3 in this post").
  const at = await page.locator("[data-testid=post]").evaluateAll((posts) =>
    posts.findIndex((p) => p.querySelectorAll("button.media-open").length >= 2),
  );
  assert.ok(at >= 0, "a post with several media on the page");
  await page.locator("[data-testid=post]").nth(at).locator("button.media-open").nth(1).click();
  await box.waitFor();
  const post = await box.getAttribute("data-post");
  const place = () => page.locator(".lightbox-where").textContent();
  const [, of] = (await place()).match(/^2 of (\d+) in this post/);
  await page.keyboard.press("End");
  await page.waitForFunction((i) => document.querySelector("[data-testid=lightbox]")?.dataset.index === i, String(of - 1));
  assert.match(await place(), new RegExp(`^${of} of ${of} in this post`));
  await page.keyboard.press("Home");
  await page.waitForFunction(() => document.querySelector("[data-testid=lightbox]")?.dataset.index === "0");
  assert.match(await place(), new RegExp(`^1 of ${of} in this post`));
  assert.equal(await box.getAttribute("data-post"), post, "the same post");
  await page.keyboard.press("Escape");
  await box.waitFor({ state: "detached" });
});

test("the summary tab and the time zone", async () => {
  const { page } = session;
  await page.getByTestId("tab-summary").click();
  assert.match(await hash(), /tab=summary/);
  await page.getByTestId("time-zone").selectOption("Asia/Tokyo");
  await page.getByTestId("tab-posts").click();
  await page.locator("[data-testid=facets]", { hasText: "Asia/Tokyo" }).waitFor();
});

test("phone width: one column, filters behind a button", async () => {
  const { page } = session;
  await page.setViewportSize({ width: 360, height: 780 });
  await page.getByTestId("search").fill("");
  await countIs("300 posts");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px)`);
  assert.equal(await page.getByTestId("facets").isVisible(), false);
  await screenshot(page, "posts-phone");
  await page.getByRole("button", { name: "Filters" }).click();
  assert.equal(await page.getByTestId("facets").isVisible(), true);
  await screenshot(page, "facets-phone");
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("dark theme", async () => {
  const { page } = session;
  await page.getByTestId("theme").selectOption("dark");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  await screenshot(page, "posts-dark");
  await page.getByTestId("theme").selectOption("system");
});

test("no request left the page and nothing went wrong in the console", () => {
  assertClean(assert, session);
});
