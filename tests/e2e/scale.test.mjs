// Scale: an archive of 300,000 posts (built here as a loose outbox.json; PERMAFROST_BIG_POSTS
// changes the number) opens, scrolls from top to bottom with at most about 1,500 DOM nodes, and
// searches. Timings are printed (they are measurements, not assertions).

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { RESULTS, assertClean, open, screenshot } from "./harness.mjs";
import { writeOutbox } from "./generate.mjs";

const POSTS = Number(process.env.PERMAFROST_BIG_POSTS ?? 300_000);
const MAX_NODES = 1500;
let session;
let path;
before(async () => {
  const dir = join(RESULTS, "big");
  mkdirSync(dir, { recursive: true });
  path = join(dir, "outbox.json");
  const t0 = Date.now();
  writeOutbox(path, POSTS);
  console.log(`# wrote ${POSTS} posts in ${Date.now() - t0} ms`);
  session = await open();
});
after(async () => {
  await session?.close();
});

const nodes = () => session.page.evaluate(() => document.getElementsByTagName("*").length);

test("opening shows its progress and can be cancelled", async () => {
  const { page } = session;
  await page.getByTestId("file-input").setInputFiles(path);
  await page.getByTestId("opening").waitFor();
  await page.waitForFunction(() => /Reading posts: [\d,]+ posts so far/.test(document.querySelector("[data-testid=progress]")?.textContent ?? ""));
  assert.ok((await page.locator("progress").getAttribute("max")) === "1");
  await screenshot(page, "opening");
  await page.getByTestId("cancel").click();
  await page.getByTestId("dropzone").waitFor();
  // Escape cancels too.
  await page.getByTestId("file-input").setInputFiles(path);
  await page.waitForFunction(() => /Reading posts: [\d,]+ posts so far/.test(document.querySelector("[data-testid=progress]")?.textContent ?? ""));
  await page.keyboard.press("Escape");
  await page.getByTestId("dropzone").waitFor();
});

test(`an archive of ${POSTS} posts opens`, async () => {
  const { page } = session;
  const t0 = Date.now();
  await page.getByTestId("file-input").setInputFiles(path);
  await session.app.opened();
  const expected = `${POSTS.toLocaleString("en-US")} posts`;
  await page.waitForFunction((t) => document.querySelector("[data-testid=count]")?.textContent === t, expected, {
    timeout: 60_000,
  });
  console.log(`# opened and listed ${POSTS} posts in ${Date.now() - t0} ms (from choosing the file)`);
  await page.getByTestId("post").first().waitFor();
});

test("scrolling top to bottom keeps the DOM small", async () => {
  const { page } = session;
  const counts = [await nodes()];
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (const fraction of [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999]) {
    await page.evaluate((y) => window.scrollTo(0, y), Math.floor(height * fraction));
    await page.waitForTimeout(150);
    await page.locator("[data-testid=post]").first().waitFor();
    counts.push(await nodes());
  }
  // The very end: the last post is reachable.
  for (let i = 0; i < 10; i++) {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForTimeout(150);
    if (await page.locator(`li[data-pos='${POSTS - 1}'] [data-testid=post]`).count()) break;
  }
  await page.locator(`li[data-pos='${POSTS - 1}'] [data-testid=post]`).waitFor();
  counts.push(await nodes());
  console.log(`# DOM nodes while scrolling: ${counts.join(", ")}`);
  assert.ok(Math.max(...counts) <= MAX_NODES, `at most ${MAX_NODES} nodes: ${counts}`);
  await screenshot(page, "big-bottom");
});

test("a fling mounts only the rows in view, and the posts come where it stops", async () => {
  const { page } = session;
  const rows = () => page.evaluate(() => document.querySelectorAll("[data-testid=timeline] li.row").length);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator("[data-testid=post]").first().waitFor();
  await page.waitForTimeout(400);
  const resting = await rows();
  // 600 px a frame: at 300,000 posts the scroll space is scaled, so each frame is thousands of
  // pixels of posts further on.
  const flying = await page.evaluate(async () => {
    const counts = [];
    for (let i = 0; i < 40; i++) {
      window.scrollBy({ top: 600, behavior: "instant" });
      await new Promise(requestAnimationFrame);
      counts.push(document.querySelectorAll("[data-testid=timeline] li.row").length);
    }
    return counts;
  });
  const most = Math.max(...flying.slice(3));
  assert.ok(most < resting, `fewer rows mounted while flying (${flying}) than at rest (${resting})`);
  // Where it stops, every row in view gets its post, and the margins come back.
  await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll("[data-testid=timeline] li.row")].filter((row) => {
      const box = row.getBoundingClientRect();
      return box.bottom > 0 && box.top < innerHeight;
    });
    return shown.length > 0 && shown.every((row) => row.querySelector("[data-testid=post]"));
  });
  await page.waitForFunction((most) => document.querySelectorAll("[data-testid=timeline] li.row").length > most, most);
  await screenshot(page, "big-after-fling");
});

test("the big archive searches quickly", async () => {
  const { page } = session;
  await page.evaluate(() => window.scrollTo(0, 0));
  const t0 = Date.now();
  await page.getByTestId("search").fill("coffee morning");
  await page.waitForFunction(() => {
    const t = document.querySelector("[data-testid=count]")?.textContent ?? "";
    return t !== "" && !t.startsWith(`${(300000).toLocaleString("en-US")}`) && t.endsWith("posts");
  });
  console.log(`# search "coffee morning": ${await page.getByTestId("count").textContent()} in ${Date.now() - t0} ms`);
  await page.getByTestId("search").fill("");
  assert.ok((await nodes()) <= MAX_NODES);
});

test("no request left the page and nothing went wrong in the console", () => {
  assertClean(assert, session);
});
