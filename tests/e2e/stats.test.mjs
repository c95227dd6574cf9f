// The Statistics tab in Chromium: its numbers equal `permafrost stats` on the same archive, query
// and time zone; activating a month bar, a heatmap day, a punchcard cell and a top-hashtag item
// (by mouse and by keyboard) shows the timeline with exactly the count `permafrost search` gives
// for the same terms; the tab lives in the URL (back returns to it); screenshots at desktop and
// phone widths in both themes.

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT, assertClean, cli, open, screenshot, screenshotsInBothThemes, waitForCount } from "./harness.mjs";

const ARCHIVE = join(ROOT, "assets", "sample", "archive.zip");
// The harness runs Chromium in Paris time; the app follows the browser's zone.
const ZONE = "Europe/Paris";

const stats = (query = "") =>
  JSON.parse(cli("stats", ARCHIVE, ...(query ? [query] : []), "--tz", ZONE, "--json").stdout);
const count = (query) =>
  Number(cli("search", ARCHIVE, query, "--tz", ZONE, "--count").stdout.trim());
const postsLabel = (n) => `${n.toLocaleString("en-US")} post${n === 1 ? "" : "s"}`;

let session;
before(async () => {
  session = await open();
  await session.page.getByTestId("sample").click();
  await session.app.opened();
});
after(async () => {
  await session?.close();
});

/** Opens the Statistics tab for `query` by typing it and choosing the tab. */
async function statsFor(query) {
  const { page } = session;
  if (!(await page.getByTestId("search").isVisible().catch(() => false))) {
    await page.getByTestId("tab-posts").click();
  }
  await page.getByTestId("search").fill(query);
  await page.waitForFunction(
    (q) => decodeURIComponent(location.hash).includes(q) || q === "",
    query,
  );
  await page.getByTestId("tab-stats").click();
  const total = page.getByTestId("stats-total");
  await total.waitFor();
  return Number(await total.getAttribute("data-total"));
}

/** `[term, count]` of every element of a chart, from its names ("…: 42 posts"): each its
 * `<title>`, which the mouse's hover shows and screen readers read. */
async function marks(key) {
  return session.page.getByTestId(`chart-${key}`).locator("svg [data-term]").evaluateAll((els) =>
    els.map((el) => [
      el.getAttribute("data-term"),
      Number(el.querySelector(":scope > title").textContent.match(/: ([\d,]+) posts?$/)[1].replace(/,/g, "")),
    ]),
  );
}

test("every number equals `permafrost stats` for the same query and zone", async () => {
  for (const query of ["", "-is:boost"]) {
    const want = stats(query);
    assert.equal(await statsFor(query), want.total, `total of "${query}"`);

    const months = Object.fromEntries(
      want.stats.per_month.filter((m) => m.count > 0).map((m) => [`during:${m.value}`, m.count]),
    );
    assert.deepEqual(Object.fromEntries(await marks("months")), months);
    // The title is the bar's accessible name too.
    const [term, n] = (await marks("months"))[0];
    const named = session.page
      .getByTestId("chart-months")
      .getByRole("button", { name: new RegExp(`: ${n.toLocaleString("en-US")} posts?$`) });
    assert.equal(await named.first().getAttribute("data-term"), term);

    // The heatmap shows the newest year; each day with posts is a control.
    const year = want.stats.per_day.at(-1).value.slice(0, 4);
    const days = Object.fromEntries(
      want.stats.per_day.filter((d) => d.value.startsWith(year)).map((d) => [`on:${d.value}`, d.count]),
    );
    assert.deepEqual(Object.fromEntries(await marks("days")), days);

    const names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    const cells = {};
    want.stats.punchcard.forEach((row, d) =>
      row.forEach((n, h) => n > 0 && (cells[`weekday:${names[d]} hour:${h}`] = n)),
    );
    assert.deepEqual(Object.fromEntries(await marks("punchcard")), cells);

    const list = async (key) =>
      session.page.getByTestId(`list-${key}`).locator("[data-term]").evaluateAll((els) =>
        els.map((el) => [el.getAttribute("data-term"), Number(el.querySelector(".bar-count").textContent.replace(/,/g, ""))]),
      );
    assert.deepEqual(await list("hashtag"), want.facets.hashtags.map((t) => [`#${t.value}`, t.count]));
    if (want.stats.top_boosted.length) {
      assert.deepEqual(await list("boosted"), want.stats.top_boosted.map((t) => [`boosted:${t.value}`, t.count]));
    }
    const alt = want.stats.alt_text.reduce((n, m) => n + m.described, 0);
    const all = want.stats.alt_text.reduce((n, m) => n + m.attachments, 0);
    assert.match(
      await session.page.getByTestId("chart-alt").locator("figcaption").textContent(),
      new RegExp(`${alt.toLocaleString("en-US")} of ${all.toLocaleString("en-US")} attachments have a description`),
    );
  }
  assertClean(assert, session);
});

test("activating a bar, a day, a cell and a hashtag shows exactly their posts", async () => {
  const { page } = session;
  const query = "-is:boost";
  const want = stats(query);
  const month = want.stats.per_month.findLast((m) => m.count > 0);
  const day = want.stats.per_day.at(-1);
  const tag = want.facets.hashtags[0];
  const cases = [
    ["months", `during:${month.value}`, "click"],
    ["days", `on:${day.value}`, "keyboard"],
    ["punchcard", null, "keyboard"],
    ["hashtag", `#${tag.value}`, "click"],
  ];
  for (const [chart, given, how] of cases) {
    await statsFor(query);
    const target =
      chart === "hashtag"
        ? page.getByTestId("list-hashtag").locator(`[data-term="${given}"]`)
        : given
          ? page.getByTestId(`chart-${chart}`).locator(`svg [data-term="${given}"]`)
          : page.getByTestId(`chart-${chart}`).locator("svg [data-term]").first();
    const term = await target.getAttribute("data-term");
    const expected = count(`${term} ${query}`);
    assert.ok(expected > 0, `${term} has posts`);
    if (how === "keyboard") {
      await target.focus();
      await page.keyboard.press(chart === "days" ? "Enter" : " ");
    } else {
      await target.click();
    }
    await waitForCount(page, postsLabel(expected));
    // The keyboard is on the count of the posts shown, not left on the page's body.
    await page.waitForFunction(() => document.activeElement?.dataset.testid === "count");
    const hash = decodeURIComponent(await page.evaluate(() => location.hash));
    assert.ok(!hash.includes("tab=stats"), `the timeline shows: ${hash}`);
    for (const part of `${term} ${query}`.split(" ")) assert.ok(hash.includes(part), `${part} in ${hash}`);
    // Back returns to the Statistics of the query as it was.
    await page.goBack();
    await page.getByTestId("stats-total").waitFor();
    assert.equal(Number(await page.getByTestId("stats-total").getAttribute("data-total")), want.total);
  }
  assertClean(assert, session);
});

test("a chart is one stop of the Tab key, and the arrow keys move along it", async () => {
  const { page } = session;
  const want = stats("");
  await statsFor("");
  const months = want.stats.per_month.filter((m) => m.count > 0);
  const focused = () =>
    page.evaluate(() => document.activeElement.getAttribute("data-term") ?? document.activeElement.textContent);
  await page.getByTestId("tab-summary").focus();
  await page.keyboard.press("Tab");
  assert.equal(await focused(), `during:${months[0].value}`);
  await page.keyboard.press("ArrowRight");
  assert.equal(await focused(), `during:${months[1].value}`);
  await page.keyboard.press("End");
  assert.equal(await focused(), `during:${months.at(-1).value}`);
  // Leaving and coming back lands where the arrows left it.
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "Show as a table");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focused(), `during:${months.at(-1).value}`);
  await page.keyboard.press("Home");
  assert.equal(await focused(), `during:${months[0].value}`);
  // Every chart, not only the months: exactly one of its controls is reachable with Tab.
  for (const chart of ["months", "days", "punchcard", "alt"]) {
    const stops = await page.getByTestId(`chart-${chart}`).locator("svg [tabindex='0']").count();
    assert.equal(stops, 1, `${chart}: ${stops} Tab stops`);
  }
  // In the grids the arrows go as drawn: Down to a later weekday (a row below, the nearest
  // hour), not to the next cell in the row; Right along the row, not down the week.
  for (const chart of ["punchcard", "days"]) {
    const marks = page.getByTestId(`chart-${chart}`).locator("svg [tabindex]");
    const at = () => page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2, term: document.activeElement.dataset.term };
    });
    for (const [key, moved] of [["ArrowDown", (a, b) => b.y > a.y + 1], ["ArrowRight", (a, b) => b.x > a.x + 1]]) {
      // A cell with another that way (the calendar's first day may be a Saturday).
      const from = await marks.evaluateAll((els, down) => {
        const c = els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.left + r.width / 2, y: r.top + r.height / 2 }));
        return c.findIndex((a) => c.some((b) => (down ? b.y > a.y + 1 : b.x > a.x + 1 && Math.abs(b.y - a.y) < 1)));
      }, key === "ArrowDown");
      // (The sample's last year has too few days for two on one weekday.)
      if (from < 0 && chart === "days" && key === "ArrowRight") continue;
      assert.ok(from >= 0, `${chart} ${key}`);
      await marks.nth(from).focus();
      const before = await at();
      await page.keyboard.press(key);
      const after = await at();
      assert.ok(moved(before, after), `${chart}: ${key} went from ${before.term} to ${after.term}`);
    }
  }
  assertClean(assert, session);
});

test("the calendar's year is kept in the URL: Back returns to the year before", async () => {
  const { page } = session;
  await statsFor("");
  const years = await page.locator("[data-year]").evaluateAll((els) => els.map((el) => el.dataset.year));
  assert.ok(years.length >= 2);
  const pressed = () => page.locator("[data-year][aria-pressed=true]").getAttribute("data-year");
  assert.equal(await pressed(), years.at(-1), "the newest year first");
  await page.locator(`[data-year="${years[0]}"]`).click();
  await page.waitForFunction((y) => location.hash.includes(`year=${y}`), years[0]);
  assert.equal(await pressed(), years[0]);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.year), years[0], "focus stays");
  const days = await page.getByTestId("chart-days").locator("svg [data-term]").evaluateAll((els) =>
    els.map((el) => el.getAttribute("data-term")),
  );
  assert.ok(days.length > 0 && days.every((d) => d.startsWith(`on:${years[0]}-`)), days.join());
  await page.goBack();
  await page.waitForFunction(() => !location.hash.includes("year="));
  assert.equal(await pressed(), years.at(-1));
  assertClean(assert, session);
});

test("each chart's table, made when opened, has the chart's numbers, and its buttons narrow to them", async () => {
  const { page } = session;
  const query = "-is:boost";
  const want = stats(query);
  await statsFor(query);
  // Not made until asked for: a closed disclosure holds its summary alone.
  for (const chart of ["months", "days", "punchcard", "alt"]) {
    const inside = await page.getByTestId(`chart-${chart}`).locator("details > *").count();
    assert.equal(inside, 1, `${chart}: ${inside} elements in the closed disclosure`);
  }
  const rows = async (chart) =>
    page.getByTestId(`chart-${chart}`).locator("details table button[data-term]").evaluateAll((els) =>
      els.map((el) => [el.dataset.term, Number(el.closest("tr").querySelector("td").textContent.replace(/,/g, ""))]),
    );
  // By mouse, or by keyboard (the calendar's).
  const open = async (chart) => {
    const summary = page.getByTestId(`chart-${chart}`).locator("details > summary");
    if (chart === "days") {
      await summary.focus();
      await page.keyboard.press("Enter");
    } else {
      await summary.click();
    }
    await page.getByTestId(`chart-${chart}`).locator("details table").waitFor();
  };
  await open("months");
  assert.deepEqual(
    await rows("months"),
    want.stats.per_month.filter((m) => m.count > 0).map((m) => [`during:${m.value}`, m.count]),
  );
  // The calendar's table has the days of the year it shows (the newest), as its squares do.
  await open("days");
  const year = want.stats.per_day.at(-1).value.slice(0, 4);
  assert.deepEqual(
    await rows("days"),
    want.stats.per_day.filter((d) => d.value.startsWith(year)).map((d) => [`on:${d.value}`, d.count]),
  );
  // The punchcard's: a row per weekday, a column per hour, a button per cell with posts.
  await open("punchcard");
  const table = page.getByTestId("chart-punchcard").locator("details table");
  assert.equal(await table.locator("tbody tr").count(), 7);
  assert.equal(await table.locator("thead th").count(), 25);
  const cells = await table.locator("button[data-term]").evaluateAll((els) => els.map((el) => [el.dataset.term, Number(el.textContent.replace(/,/g, ""))]));
  const names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const expected = [];
  want.stats.punchcard.forEach((row, d) => row.forEach((n, h) => n > 0 && expected.push([`weekday:${names[d]} hour:${h}`, n])));
  assert.deepEqual(cells, expected);
  // Choosing another year keeps the calendar's table open, now with that year's days, and the
  // other open tables open; Back returns to the newest year's, still open.
  const days = (y) => want.stats.per_day.filter((d) => d.value.startsWith(y)).map((d) => [`on:${d.value}`, d.count]);
  const older = await page.locator("[data-year]").first().getAttribute("data-year");
  assert.notEqual(older, year);
  await page.locator(`[data-year="${older}"]`).click();
  await page.waitForFunction((y) => location.hash.includes(`year=${y}`), older);
  await page.getByTestId("chart-days").locator("details[open] table").waitFor();
  assert.deepEqual(await rows("days"), days(older));
  assert.equal(await page.getByTestId("chart-punchcard").locator("details[open] table").count(), 1);
  await page.goBack();
  await page.waitForFunction(() => !location.hash.includes("year="));
  await page.getByTestId("chart-days").locator("details[open] table").waitFor();
  assert.deepEqual(await rows("days"), days(year));
  // Closed and opened again, a table is not made twice.
  const summary = page.getByTestId("chart-months").locator("details > summary");
  await summary.click();
  await summary.click();
  await page.waitForFunction(() => document.querySelector('[data-testid="chart-months"] details').open);
  assert.equal(await page.getByTestId("chart-months").locator("details table").count(), 1);
  // A table's button narrows the timeline to its posts, as the chart's mark does.
  const [term, n] = (await rows("months")).at(-1);
  await page.getByTestId("chart-months").locator(`details button[data-term="${term}"]`).click();
  assert.equal(count(`${term} ${query}`), n);
  await waitForCount(page, postsLabel(n));
  await page.goBack();
  await page.getByTestId("stats-total").waitFor();
  assertClean(assert, session);
});

test("the calendar shades days with posts in the chart colour, darker with more posts", async () => {
  const { page } = session;
  await statsFor("");
  const chart = page.getByTestId("chart-days");
  const cells = await chart.locator("svg rect.day").evaluateAll((els) =>
    els.map((el) => {
      const style = getComputedStyle(el);
      return {
        level: Number(el.getAttribute("class").match(/\bl(\d)\b/)[1]),
        fill: style.fill,
        opacity: Number(style.fillOpacity),
      };
    }),
  );
  const bar = await page.getByTestId("chart-months").locator(".bar").first().evaluate((el) => getComputedStyle(el).fill);
  const empty = cells.filter((c) => c.level === 0);
  const busy = cells.filter((c) => c.level > 0);
  assert.ok(empty.length > 0 && busy.length > 0, `${empty.length} empty and ${busy.length} busy days`);
  // Days with posts are drawn in the bars' colour (an empty day's grey is not it), and each
  // level is more opaque than the one below it.
  assert.ok(busy.every((c) => c.fill === bar), `fills ${[...new Set(busy.map((c) => c.fill))]} against ${bar}`);
  assert.ok(empty.every((c) => c.fill !== bar));
  const opacity = new Map(busy.map((c) => [c.level, c.opacity]));
  const levels = [...opacity.keys()].sort();
  assert.ok(levels.length >= 2, `levels ${levels}`);
  for (let i = 1; i < levels.length; i++) {
    assert.ok(opacity.get(levels[i]) > opacity.get(levels[i - 1]), JSON.stringify([...opacity]));
  }
  assertClean(assert, session);
});

test("screenshots at desktop and phone widths, light and dark", async () => {
  const { page } = session;
  await statsFor("");
  // Nothing is wider than the page: wide charts scroll inside their own box.
  await screenshotsInBothThemes(assert, page, "stats");
  assertClean(assert, session);
});

test("the share of attachments described is rounded, as the Media tab's is", async () => {
  // 56 of 75 is 74.7 %: 75, not 74; 53 of 73 is 72.6 %: 73.
  for (const query of ["has:image", "-is:boost"]) {
    await statsFor(query);
    const hint = await session.page.getByTestId("chart-alt").locator(".hint").textContent();
    const [, described, all, percent] = hint.match(/^([\d,]+) of ([\d,]+) attachments have a description \((\d+)%\)/);
    const [d, a] = [described, all].map((n) => Number(n.replace(/,/g, "")));
    assert.equal(Number(percent), Math.floor((d * 200 + a) / (a * 2)), hint);
    assert.notEqual(Number(percent), Math.floor((d * 100) / a), `${query}: a share that rounds up`);
  }
});
