// The Memories tab in Chromium, on a fixed date: "on this day" counts your posts of today's date
// in earlier years as `permafrost search` does, per year and in all, each a way into the
// timeline; "a random post" opens the timeline at one of the current results, focused.

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT, assertClean, cli, open, screenshot, screenshotsInBothThemes, waitForCount } from "./harness.mjs";

const ARCHIVE = join(ROOT, "assets", "sample", "archive.zip");
const ZONE = "Europe/Paris";
const count = (query) =>
  Number(cli("search", ARCHIVE, query, "--tz", ZONE, "--count").stdout.trim());

let session;
before(async () => {
  session = await open({ width: 360, height: 800 });
  // 12 May 2026 in Paris: the sample has posts of 12 May in 2023, 2024 and 2025.
  // Set before the app loads: its bindings keep the `Date.now` they found then.
  await session.page.clock.setFixedTime(new Date("2026-05-12T10:00:00+02:00"));
  await session.page.reload();
  await session.page.getByTestId("dropzone").waitFor();
  await session.page.getByTestId("sample").click();
  await session.app.opened();
});
after(async () => {
  await session?.close();
});

test("on this day: earlier years' posts of today's date, per year and in all", async () => {
  const { page } = session;
  await page.getByTestId("tab-memories").click();
  const found = page.getByTestId("on-this-day").locator("[data-total]");
  await found.waitFor();
  const all = count("on:05-12 before:2026");
  assert.ok(all > 0);
  assert.equal(Number(await found.getAttribute("data-total")), all);
  assert.match(await found.textContent(), new RegExp(`^${all} posts from this day \\(May 12, 2026\\) in earlier years\\.$`));
  await screenshot(page, "memories-360");
  const years = await page.getByTestId("on-this-day").locator("[data-term^='on:20']").evaluateAll((els) =>
    els.map((el) => el.getAttribute("data-term")),
  );
  assert.ok(years.length >= 2, `years: ${years}`);
  assert.ok(!years.includes("on:2026-05-12"), "this year is not a memory");
  // A year: exactly that day's posts.
  const year = years[0];
  await page.locator(`[data-term='${year}']`).click();
  const n = count(year);
  await waitForCount(page, `${n} post${n === 1 ? "" : "s"}`);
  // Back, then all of them.
  await page.goBack();
  await page.getByTestId("on-this-day-all").click();
  await waitForCount(page, `${all} posts`);
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /on:05-12 before:2026/);
  assertClean(assert, session);
});

test("under a search, on this day says it is of the posts the search finds", async () => {
  const { page } = session;
  await page.getByTestId("tab-posts").click();
  await page.getByTestId("search").fill("has:image");
  const n = count("has:image");
  await waitForCount(page, `${n} posts`);
  await page.getByTestId("tab-memories").click();
  const scope = page.getByTestId("memories-scope");
  await scope.waitFor();
  assert.equal(await scope.textContent(), `${n} posts matching “has:image”`);
  const found = page.getByTestId("on-this-day").locator("[data-total]");
  assert.equal(Number(await found.getAttribute("data-total")), count("has:image on:05-12 before:2026"));
  // Without a search, no such line.
  await page.getByTestId("tab-posts").click();
  await page.getByTestId("search").fill("");
  await waitForCount(page, "300 posts");
  await page.getByTestId("tab-memories").click();
  await page.getByTestId("on-this-day").locator("[data-total]").waitFor();
  assert.equal(await scope.count(), 0);
  await page.getByTestId("tab-posts").click();
});

test("a random post opens the timeline at one of the results, focused", async () => {
  const { page } = session;
  await page.getByTestId("search").fill("");
  await waitForCount(page, "300 posts");
  await page.getByTestId("tab-memories").click();
  await page.getByTestId("random").click();
  await page.waitForFunction(() => document.activeElement?.closest("[data-testid=post]"));
  const hash = await page.evaluate(() => location.hash);
  assert.ok(!hash.includes("tab="), `the timeline shows: ${hash}`);
  // Focused and in the window, under the search bar, soon and for good: at a phone's width,
  // where the rows drawn on the way move it most, a few times over.
  await page.setViewportSize({ width: 360, height: 700 });
  for (let k = 0; k < 4; k++) {
    await page.getByTestId("tab-memories").click();
    await page.getByTestId("random").click();
    // Soon (on a busy machine the rows around it take a while to be drawn and measured)…
    await page.waitForFunction(() => {
      const row = document.querySelector("li.current");
      const top = row?.getBoundingClientRect().top ?? -1;
      const bar = document.querySelector(".search-bar").getBoundingClientRect().bottom;
      return row?.contains(document.activeElement) && top >= bar - 1 && top < innerHeight - 100;
    }, null, { timeout: 10_000 });
    // …and for good.
    await page.waitForTimeout(1000);
    const where = await page.evaluate(() => {
      const row = document.querySelector("li.current");
      return {
        focused: row?.contains(document.activeElement),
        top: row?.getBoundingClientRect().top,
        bar: document.querySelector(".search-bar").getBoundingClientRect().bottom,
        height: innerHeight,
      };
    });
    assert.ok(where.focused, "still focused");
    assert.ok(where.top >= where.bar - 1 && where.top < where.height - 100, `the post at ${where.top} px, the bar ending at ${where.bar}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  assertClean(assert, session);
});

test("screenshots at desktop and phone widths, light and dark", async () => {
  const { page } = session;
  await page.getByTestId("tab-memories").click();
  await page.getByTestId("on-this-day").locator("[data-total]").waitFor();
  await screenshotsInBothThemes(assert, page, "memories");
  assertClean(assert, session);
});
