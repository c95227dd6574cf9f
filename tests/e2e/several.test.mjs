// Several archives at once (issue 12): two generated archives of different accounts dropped
// together give the sum of their counts, an account facet and a switcher with each account's own
// profile; the same archive dropped twice gives one archive's counts and says how many posts were
// merged; "Add another archive" opens one more beside what is open; a CSV export whose account
// cannot be told is asked about. The numbers are those `permafrost synth` says it wrote.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { RESULTS, assertClean, cli, open, screenshot, waitForCount } from "./harness.mjs";

const DIR = join(RESULTS, "several");

/** A generated archive of `handle` (`permafrost synth`), with the counts it holds. */
function synth(name, handle, posts, seed, format = "zip") {
  const dir = join(DIR, name.replace(/\W/g, "-"));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const expected = join(dir, "expected.json");
  const args = ["synth", "--posts", String(posts), "--seed", String(seed), "--handle", handle,
    "--format", format, "-o", path, "--expected", expected];
  cli(...args);
  return { name, path, bytes: readFileSync(path), counts: JSON.parse(readFileSync(expected, "utf8")) };
}

let session, alice, bob;
before(async () => {
  rmSync(DIR, { recursive: true, force: true });
  alice = synth("alice.zip", "alice@example.social", 300, 1);
  bob = synth("bob.tar.gz", "bob@other.example", 200, 2, "tar.gz");
  session = await open();
});
after(async () => {
  assertClean(assert, session);
  await session?.close();
});

async function reset() {
  const close = session.page.getByTestId("close");
  if (await close.isVisible()) await close.click();
  await session.page.getByTestId("dropzone").waitFor();
}

const facet = (term) => session.page.locator(`[data-facet=account] button[data-term="${term}"]`);

test("two accounts' archives dropped together: their sum, an account facet and a switcher", async () => {
  const { app, page } = session;
  await reset();
  await app.drop(alice, bob);
  await app.opened();
  const total = alice.counts.posts + bob.counts.posts;
  await waitForCount(page, `${total} posts`, 60_000);
  // The facet: each account's posts.
  assert.equal(await facet("account:alice@example.social").locator(".n").textContent(), String(alice.counts.posts));
  assert.equal(await facet("account:bob@other.example").locator(".n").textContent(), String(bob.counts.posts));
  await facet("account:bob@other.example").click();
  await waitForCount(page, `${bob.counts.posts} posts`);
  assert.match(await page.getByTestId("search").inputValue(), /account:bob@other\.example/);
  // The switcher: one account at a time, with its own profile; then all of them again.
  const switcherTop = () => page.evaluate(() => Math.round(document.querySelector("[data-testid=accounts]").getBoundingClientRect().top));
  // From all accounts (no profile) at the top of the page, where the browser's own scroll
  // anchoring does nothing.
  await page.getByTestId("account-all").click();
  await waitForCount(page, `${total} posts`);
  await page.evaluate(() => window.scrollTo({ top: 0, behavior: "instant" }));
  const before = await switcherTop();
  await page.locator("[data-testid=account-switch][data-account='alice@example.social']").click();
  await waitForCount(page, `${alice.counts.posts} posts`);
  assert.equal(await page.locator(".profile-handle").textContent(), "@alice@example.social");
  // Her profile came above the switcher, and the switcher stayed where it was clicked.
  assert.ok(Math.abs((await switcherTop()) - before) <= 1, `the switcher moved from ${before} to ${await switcherTop()} px`);
  assert.equal(
    await page.locator("[data-testid=account-switch][data-account='alice@example.social']").getAttribute("aria-pressed"),
    "true",
  );
  // By the keyboard: the switcher is drawn anew, and the account chosen keeps the focus.
  await page.locator("[data-testid=account-switch][data-account='bob@other.example']").focus();
  await page.keyboard.press("Enter");
  await waitForCount(page, `${bob.counts.posts} posts`);
  await page.waitForFunction(() => document.activeElement?.dataset.account === "bob@other.example");
  assert.equal(await page.locator(".profile-handle").textContent(), "@bob@other.example");
  await screenshot(page, "several-accounts");
  // The Summary's numbers are of both: it says so while one is chosen, and not once all are.
  await page.getByTestId("tab-summary").click();
  assert.match(await page.getByTestId("summary-all-accounts").textContent(), /every account open, together; @bob@other\.example's own/);
  await page.getByTestId("tab-posts").click();
  await page.getByTestId("account-all").click();
  await waitForCount(page, `${total} posts`);
  assert.equal(await page.getByTestId("profile").count(), 0, "no one profile while all are shown");
  // The summary: the sum, and each account.
  await page.getByTestId("tab-summary").click();
  assert.equal(await page.getByTestId("summary-all-accounts").count(), 0);
  assert.equal(await app.stat("posts"), String(total));
  assert.equal(await app.stat("originals"), String(alice.counts.originals + bob.counts.originals));
  assert.equal(await app.stat("boosts"), String(alice.counts.boosts + bob.counts.boosts));
  assert.equal(await app.stat("format"), "zip+tar.gz");
  const accounts = await page.getByTestId("summary-accounts").textContent();
  assert.match(accounts, /@alice@example\.social 300 posts/);
  assert.match(accounts, /@bob@other\.example 200 posts/);
  // The line above them, with the size of both outboxes, names no one account.
  assert.equal(await page.getByTestId("summary-handle").count(), 0);
  assert.equal(await page.getByTestId("summary-duplicates").count(), 0);
});

test("two accounts with the same name are told apart by their addresses in the switcher", async () => {
  const { app, page } = session;
  await reset();
  // One person on two servers: the same seed, so the same display name.
  const here = synth("alice-here.zip", "alice@example.social", 40, 7);
  const there = synth("alice-there.zip", "alice@other.example", 30, 7);
  assert.equal(here.counts.account.display_name, there.counts.account.display_name);
  await app.drop(here, there);
  await app.opened();
  await waitForCount(page, `${here.counts.posts + there.counts.posts} posts`, 60_000);
  const labels = await page.locator("[data-testid=account-switch]").evaluateAll((els) =>
    els.map((el) => el.firstChild.textContent.trim()),
  );
  assert.deepEqual(labels.sort(), ["@alice@example.social", "@alice@other.example"]);
});

test("the same archive dropped twice gives one archive's counts", async () => {
  const { app, page } = session;
  await reset();
  await app.drop(alice, { name: "alice (1).zip", bytes: alice.bytes });
  await app.opened();
  await waitForCount(page, `${alice.counts.posts} posts`, 60_000);
  assert.equal(await page.getByTestId("account-all").count(), 0, "one account: no switcher");
  assert.equal(await page.locator("[data-facet=account]").count(), 0);
  await page.getByTestId("tab-summary").click();
  assert.equal(await app.stat("posts"), String(alice.counts.posts));
  assert.equal(await app.stat("originals"), String(alice.counts.originals));
  assert.equal(await app.stat("media_present"), String(alice.counts.media.present));
  assert.match(
    await page.getByTestId("summary-duplicates").textContent(),
    new RegExp(`^${alice.counts.posts} posts were in more than one archive`),
  );
});

test("Add another archive opens it beside what is open", async () => {
  const { app, page } = session;
  await reset();
  await app.drop(alice);
  await app.opened();
  await waitForCount(page, `${alice.counts.posts} posts`, 60_000);
  await page.getByTestId("add-archive-input").setInputFiles(bob.path);
  await page.getByTestId("account-all").waitFor({ timeout: 60_000 });
  await waitForCount(page, `${alice.counts.posts + bob.counts.posts} posts`, 60_000);
  assert.equal(await page.locator("[data-testid=account-switch]").count(), 2);
});

test("a CSV export whose account cannot be told is asked about", async () => {
  const { app, page } = session;
  await reset();
  await app.drop(alice, bob, { name: "lists.csv", bytes: Buffer.from("Friends,x@y.example\n") });
  await app.opened();
  const question = page.getByTestId("attribute");
  await question.waitFor();
  assert.match(await question.textContent(), /Whose CSV export is lists\.csv\?/);
  await page.getByTestId("tab-summary").click();
  assert.equal(await page.getByTestId("summary-lists").count(), 0);
  await question.locator("[data-testid=attribute-to]", { hasText: "@bob@other.example" }).click();
  // As for CSV exports added to an open archive: the People tab shows what it added.
  await page.locator("#tab-people[aria-selected=true]").waitFor();
  await page.getByTestId("tab-summary").click();
  await page.getByTestId("summary-lists").waitFor();
  assert.match(await page.getByTestId("summary-lists").textContent(), /Friends/);
  assert.equal(await page.getByTestId("attribute").count(), 0);
});

test("with several accounts open, each post names its account; with one, none does", async () => {
  const { app, page } = session;
  await reset();
  await app.drop(alice, bob);
  await app.opened();
  await waitForCount(page, `${alice.counts.posts + bob.counts.posts} posts`, 60_000);
  const owners = page.locator("[data-testid=post] .post-account");
  await owners.first().waitFor();
  const names = new Set(await owners.allTextContents());
  for (const n of names) assert.match(n, /^@(alice@example\.social|bob@other\.example)$/);
  // One account's posts: each says it is that account's.
  await page.locator("[data-testid=account-switch][data-account='bob@other.example']").click();
  await waitForCount(page, `${bob.counts.posts} posts`);
  await page.waitForFunction(() => {
    const all = [...document.querySelectorAll("[data-testid=post] .post-account")].map((e) => e.textContent);
    return all.length > 0 && all.every((t) => t === "@bob@other.example");
  });
  // The handle is a way to that account's posts: from all accounts, it keeps to alice's.
  await page.getByTestId("account-all").click();
  await waitForCount(page, `${alice.counts.posts + bob.counts.posts} posts`);
  await page.locator("[data-testid=post] .post-account", { hasText: "@alice@example.social" }).first().click();
  await waitForCount(page, `${alice.counts.posts} posts`);
  await screenshot(page, "several-post-accounts");

  await reset();
  await app.drop(alice);
  await app.opened();
  await waitForCount(page, `${alice.counts.posts} posts`, 60_000);
  await page.getByTestId("post").first().waitFor();
  assert.equal(await page.locator(".post-account").count(), 0, "one account: posts name none");
});

test("an archive dropped on an open one asks: add beside, open instead, or nothing (Escape)", async () => {
  const { app, page } = session;
  await reset();
  await app.drop(alice);
  await app.opened();
  await waitForCount(page, `${alice.counts.posts} posts`, 60_000);
  const choice = page.getByTestId("drop-choice");
  // Escape: nothing changes.
  await app.dropOnPage(bob);
  await choice.waitFor();
  assert.match(await choice.textContent(), /Add bob\.tar\.gz beside what is open, or open it instead\?/);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "drop-add", "the first choice has the focus");
  await screenshot(page, "several-drop-choice");
  // The question is modal: Tab goes round its three choices.
  const focused = () => page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.id);
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "drop-open");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "drop-add");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focused(), "drop-cancel");
  await page.keyboard.press("Escape");
  await choice.waitFor({ state: "detached" });
  assert.equal(await focused(), "main", "back on the page");
  await waitForCount(page, `${alice.counts.posts} posts`);
  assert.equal(await page.getByTestId("account-all").count(), 0);
  // Open instead: bob's archive alone.
  await app.dropOnPage(bob);
  await page.getByTestId("drop-open").click();
  await waitForCount(page, `${bob.counts.posts} posts`, 60_000);
  assert.equal(await page.getByTestId("account-all").count(), 0, "one account open");
  // Add beside, by keyboard: both.
  await app.dropOnPage(alice);
  await choice.waitFor();
  await page.keyboard.press("Enter");
  await page.getByTestId("account-all").waitFor({ timeout: 60_000 });
  await waitForCount(page, `${alice.counts.posts + bob.counts.posts} posts`, 60_000);
  assert.equal(await page.locator("[data-testid=account-switch]").count(), 2);
  // CSV exports alone are still added to what is open, without asking.
  await app.dropOnPage({ name: "bob-lists.csv", bytes: Buffer.from("Pals,x@y.example\n") });
  await page.locator("#tab-people[aria-selected=true]").waitFor();
  assert.equal(await choice.count(), 0);
  assert.match(await page.getByTestId("people-added-file").first().textContent(), /^bob-lists\.csv/);
  assert.equal(await page.locator("[data-testid=account-switch]").count(), 2, "still both accounts");
});

test("People and Likes & bookmarks follow the account switcher, and say whose they show", async () => {
  const { app, page } = session;
  await reset();
  await app.drop(alice, bob);
  await app.opened();
  await waitForCount(page, `${alice.counts.posts + bob.counts.posts} posts`, 60_000);
  await page.getByTestId("tab-saved").click();
  const whose = page.getByTestId("whose");
  await whose.waitFor();
  assert.match(await whose.textContent(), /^All accounts together/);
  const likes = page.getByTestId("saved-likes");
  await page.locator("[data-testid=account-switch][data-account='bob@other.example']").click();
  await page.waitForFunction(
    () => /Showing @bob@other\.example only/.test(document.querySelector("[data-testid=whose]")?.textContent ?? ""),
  );
  // bob's own likes: "N of N liked posts".
  const n = bob.counts.likes.toLocaleString("en");
  await page.waitForFunction(
    (n) => document.querySelector(".saved")?.textContent.includes(`${n} of ${n} liked posts`),
    n,
  );
  assert.ok(await likes.isVisible());
  await page.getByTestId("tab-people").click();
  await page.waitForFunction(
    () => /Showing @bob@other\.example only/.test(document.querySelector("[data-testid=whose]")?.textContent ?? ""),
  );
  await page.getByTestId("account-all").click();
  await page.waitForFunction(
    () => /^All accounts together/.test(document.querySelector("[data-testid=whose]")?.textContent ?? ""),
  );
});
