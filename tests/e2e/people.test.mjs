// The People tab in Chromium: every table of the CSV exports with the numbers
// `permafrost people --json` gives for the same files, a filter, the cross references with the
// posts (a click shows exactly the posts mentioning someone), the table kept in the URL, and
// CSV exports added to an open archive without opening it again.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT, assertClean, cli, open, screenshot, screenshotsInBothThemes, waitForCount } from "./harness.mjs";

const SAMPLE = join(ROOT, "assets", "sample");
const CSVS = [
  "following_accounts.csv",
  "lists.csv",
  "blocked_accounts.csv",
  "muted_accounts.csv",
  "blocked_domains.csv",
  "bookmarks.csv",
].map((n) => join(SAMPLE, n));
const ARCHIVE = join(SAMPLE, "archive.zip");
const people = (table, ...more) =>
  JSON.parse(cli("people", "--json", "--all", "--table", table, ...more, ARCHIVE, ...CSVS).stdout);
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

/** Shows a table and waits for its count line. */
async function show(page, table) {
  await page.getByTestId(`people-table-${table}`).click();
  await page.waitForFunction(
    (t) => document.querySelector(`[data-testid=people-table-${t}]`)?.getAttribute("aria-pressed") === "true",
    table,
  );
}

/** Every row's address, after pressing "Show more" until there is no more. */
async function allRows(page) {
  for (;;) {
    const more = page.getByTestId("people-more");
    if ((await more.count()) === 0) break;
    await more.click();
  }
  return page.locator("[data-testid=person] .person-address").allTextContents();
}

test("every table shows the rows and counts the CLI gives for the same files", async () => {
  const { page } = session;
  await page.getByTestId("tab-people").click();
  for (const table of ["following", "lists", "blocks", "mutes", "domain_blocks", "not_mentioned", "mentioned_not_followed"]) {
    await show(page, table);
    const want = people(table);
    const count = page.getByTestId("people-count");
    await page.waitForFunction(
      (n) => document.querySelector("[data-testid=people-count]")?.getAttribute("data-total") === String(n),
      want.total,
    );
    assert.equal(Number(await count.getAttribute("data-matching")), want.matching, table);
    const shown = await allRows(page);
    const expected = table === "domain_blocks" ? want.domains : want.rows.map((r) => r.address);
    assert.deepEqual(shown, expected, `${table}: the same rows in the same order`);
    assert.match(page.url(), new RegExp(`show=${table}(&|$)`));
  }
  // Followers: Mastodon exports none; the tab says so and which server does.
  await show(page, "followers");
  assert.match(await page.getByTestId("people-missing").textContent(), /GoToSocial/);
  await screenshot(page, "people-1280");
  assertClean(assert, session);
});

test("a filter narrows the rows, and a mention count shows exactly those posts", async () => {
  const { page } = session;
  await show(page, "mentioned_not_followed");
  const want = people("mentioned_not_followed");
  const top = want.rows[0];
  assert.ok(top.mentions > 0 && top.mention_term);
  // The filter: a piece of the top address.
  const piece = top.address.split("@")[1];
  await page.getByTestId("people-filter").fill(piece);
  const filtered = people("mentioned_not_followed", "--filter", piece);
  await page.waitForFunction(
    (n) => document.querySelector("[data-testid=people-count]")?.getAttribute("data-matching") === String(n),
    filtered.matching,
  );
  assert.ok(filtered.matching < want.total, "the filter leaves some out");
  assert.match(decodeURIComponent(page.url()), new RegExp(`f=${piece.replace(/\./g, "\\.")}`));
  await page.getByTestId("people-filter").fill("");
  await page.waitForFunction(
    (n) => document.querySelector("[data-testid=people-count]")?.getAttribute("data-matching") === String(n),
    want.matching,
  );
  // The top account's mentions: a click shows its posts in the timeline, as many as counted,
  // and as many as the CLI's search for the same term finds.
  const button = page.getByTestId("person-mentions").first();
  assert.equal(await button.getAttribute("data-term"), top.mention_term);
  assert.match(await button.getAttribute("aria-label"), new RegExp(`^${top.address.replace(/\./g, "\\.")}: ${posts(top.mentions)} mentioning them$`));
  await button.click();
  await waitForCount(page, posts(top.mentions));
  const searched = Number(cli("search", "--count", ARCHIVE, "--", top.mention_term).stdout.trim());
  assert.equal(searched, top.mentions);
  // Back returns to the same table.
  await page.goBack();
  await page.getByTestId("people-count").waitFor();
  assert.match(page.url(), /show=mentioned_not_followed/);
  // The button clicked went with the view: the keyboard goes on from the view's tab.
  await page.waitForFunction(() => document.activeElement?.dataset.testid === "tab-people");
  // Another tab and back by the tabs: the same table and filter.
  await page.getByTestId("people-filter").fill(piece);
  await page.getByTestId("tab-stats").click();
  await page.getByTestId("tab-people").click();
  assert.equal(await page.getByTestId("people-filter").inputValue(), piece);
  assert.match(page.url(), /show=mentioned_not_followed/);
  // Back to Statistics from People's tab button: the keyboard is on the tab shown.
  await page.goBack();
  await page.waitForFunction(() => document.activeElement?.dataset.testid === "tab-stats");
  await page.goForward();
  await page.getByTestId("people-filter").waitFor();
  await page.getByTestId("people-filter").fill("");
  assertClean(assert, session);
});

test("CSV exports dropped on an open archive are added to it, not opened anew", async () => {
  const { page, app } = session;
  await page.evaluate(() => (location.hash = ""));
  await app.openOnPage({ name: "archive.zip", bytes: readFileSync(ARCHIVE) });
  await waitForCount(page, "300 posts");
  await page.getByTestId("search").fill("#photography");
  const photos = Number(cli("search", "--count", ARCHIVE, "#photography").stdout.trim());
  await waitForCount(page, posts(photos));
  await page.getByTestId("tab-people").click();
  await page.getByTestId("people-missing").waitFor();
  assert.match(await page.getByTestId("people-missing").textContent(), /following_accounts\.csv/);
  assert.match(await page.getByTestId("people-missing").textContent(), /https:\/\/example\.social\/settings\/export/);
  // Without the following list, the profile cannot say how many accounts are followed.
  // (Waited for: the last archive's profile, which had one, may still be on the page.)
  await page.waitForFunction(() => !/following/.test(document.querySelector("[data-testid=profile]")?.textContent ?? "following"));
  await page.setViewportSize({ width: 360, height: 800 });
  await screenshot(page, "people-missing-360");
  // Drop two exports: they are added, the People tab says what they gave.
  await app.dropOnPage(
    { name: "following_accounts.csv", bytes: readFileSync(CSVS[0]) },
    { name: "blocked_accounts.csv", bytes: readFileSync(CSVS[2]) },
  );
  const notice = page.getByTestId("people-added-file");
  await notice.first().waitFor();
  assert.deepEqual(await notice.allTextContents(), [
    `following_accounts.csv: ${people("following").total} accounts you follow`,
    `blocked_accounts.csv: ${people("blocks").total} blocked accounts`,
  ]);
  // The profile above the tabs counts them at once, as it does when they are given with it.
  assert.match(await page.getByTestId("profile").textContent(), new RegExp(`(^|\\D)${people("following").total} following`));
  // The archive was not opened again: the query is still there.
  assert.equal(await page.getByTestId("search").count(), 0, "on the People tab");
  assert.match(decodeURIComponent(page.url()), /q=#photography/);
  await show(page, "following");
  const following = people("following", "--query", "#photography");
  await page.waitForFunction(
    (n) => document.querySelector("[data-testid=people-count]")?.getAttribute("data-total") === String(n),
    following.total,
  );
  await screenshot(page, "people-added-360");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
  assert.equal(overflow, false, "no page overflow at 360 px");
  // The summary counts them too.
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("following"), String(following.total));
  // Something that is not a CSV export is refused and changes nothing.
  await page.getByTestId("tab-people").click();
  await page.getByTestId("people-input").setInputFiles({ name: "notes.csv", mimeType: "text/csv", buffer: Buffer.from("hello,world\n") });
  await page.waitForFunction(() =>
    [...document.querySelectorAll("[data-testid=people-added-file]")].some((li) => /notes\.csv: not added/.test(li.textContent)),
  );
  assertClean(assert, session);
});

test("screenshots at desktop and phone widths, light and dark", async () => {
  const { page } = session;
  await page.getByTestId("tab-people").click();
  await show(page, "following");
  await page.getByTestId("people-count").waitFor();
  await screenshotsInBothThemes(assert, page, "people");
  assertClean(assert, session);
});
