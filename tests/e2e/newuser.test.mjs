// Where a new user trips (issue "Where a new user trips"): each test reproduces one report and
// failed before its fix. State must not leak between archives; the keyboard path goes from the
// search box to the results and back; polls show Mastodon's percentages; the description of
// media missing from the archive is readable in full; racing a new archive against a search
// logs no error.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertClean, open, screenshot, waitForCount } from "./harness.mjs";

let session;
before(async () => {
  session = await open();
});
after(async () => {
  await session?.close();
});

const count = () => session.page.getByTestId("count").textContent();
const countIs = (text) => waitForCount(session.page, text);
async function openSample() {
  const { page } = session;
  if (await page.getByTestId("close").isVisible()) await page.getByTestId("close").click();
  await page.getByTestId("sample").click();
  await session.app.opened();
  await countIs("300 posts");
}

/** A small archive as loose files: an outbox with the given objects, and an actor. */
function archive(objects) {
  const actor = "https://self.example/users/ana";
  const items = objects.map((object, i) => ({
    id: `${actor}/statuses/${i + 1}/activity`,
    type: "Create",
    actor,
    published: "2023-03-01T10:00:00Z",
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    object: {
      id: `${actor}/statuses/${i + 1}`,
      published: "2023-03-01T10:00:00Z",
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      content: "<p>post</p>",
      ...object,
    },
  }));
  const outbox = { type: "OrderedCollection", totalItems: items.length, orderedItems: items };
  const person = { id: actor, type: "Person", preferredUsername: "ana", name: "Ana", url: "https://self.example/@ana" };
  return [
    { name: "outbox.json", bytes: Buffer.from(JSON.stringify(outbox)) },
    { name: "actor.json", bytes: Buffer.from(JSON.stringify(person)) },
  ];
}

test("1. a newly opened archive starts from all posts on the Posts tab", async () => {
  const { page, app } = session;
  await openSample();
  await page.locator("[data-facet=year] button[data-term='during:2024']").click();
  await countIs("108 posts");
  await page.getByTestId("tab-summary").click();
  await page.getByTestId("close").click();
  await app.drop("mastodon-export.zip");
  await app.opened();
  // The Posts tab, every post, an empty box.
  await countIs("18 posts");
  assert.equal(await page.getByTestId("search").inputValue(), "");
  assert.equal(await page.getByTestId("tab-posts").getAttribute("aria-selected"), "true");
  assert.equal(await page.evaluate(() => location.hash), "");
});

test("1. a query in the URL the page was opened with is kept for the first archive", async () => {
  const { page } = session;
  // A new page load (a hash change alone would not reload the page).
  const origin = new URL(page.url()).origin;
  await page.goto("about:blank");
  await page.goto(`${origin}/#q=has%3Amedia`);
  await page.getByTestId("sample").click();
  await session.app.opened();
  assert.equal(await page.getByTestId("search").inputValue(), "has:media");
  // The first count shown is the query's (wait for it: an empty count would prove nothing).
  await page.waitForFunction(() => /^\d/.test(document.querySelector("[data-testid=count]")?.textContent ?? ""));
  assert.notEqual(await count(), "300 posts");
});

test("3. the keyboard goes from the search box to the results and back", async () => {
  const { page } = session;
  await openSample();
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "search");
  await page.keyboard.type("has:image");
  await countIs("39 posts");
  // Enter leaves the box for the first post, fully in view below the sticky search bar.
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.dataset?.testid === "post");
  const geometry = await page.evaluate(() => ({
    post: document.activeElement.getBoundingClientRect().top,
    bar: document.querySelector(".search-bar").getBoundingClientRect().bottom,
  }));
  assert.ok(geometry.post >= geometry.bar - 1, JSON.stringify(geometry));
  // j moves on; it types nothing into the box.
  await page.keyboard.press("j");
  assert.equal(await page.getByTestId("search").inputValue(), "has:image");
  // ↓ in the box does the same as Enter.
  await page.keyboard.press("/");
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction(() => document.activeElement?.dataset?.testid === "post");
  // Escape leaves the box without clearing it; a second Escape clears it.
  await page.keyboard.press("/");
  await page.keyboard.press("Escape");
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), "search");
  assert.equal(await page.getByTestId("search").inputValue(), "has:image");
  await page.keyboard.press("Escape");
  await countIs("300 posts");
  assert.equal(await page.getByTestId("search").inputValue(), "");
});

test("3. at 360 px, / brings the search bar to the top, with the last query selected to type over", async () => {
  const { page } = session;
  await openSample();
  await page.setViewportSize({ width: 360, height: 640 });
  try {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => document.activeElement?.blur());
    // Below the account's summary at first: lower than a quarter of the screen.
    const before = await page.evaluate(() => document.querySelector(".search-bar").getBoundingClientRect().top);
    assert.ok(before > 160, `the bar starts at ${before}`);
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "search");
    await page.waitForFunction(() => Math.abs(document.querySelector(".search-bar").getBoundingClientRect().top) < 2);
    await page.keyboard.type("has:image");
    await countIs("39 posts");
    // The count shows below the bar while typing.
    const countTop = await page.getByTestId("count").evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(countTop >= 0 && countTop < 640, `the count at ${countTop}`);
    await screenshot(page, "newuser-360-slash");
    // Out of the box and back: the query is selected, and typing replaces it.
    await page.keyboard.press("Escape");
    await page.keyboard.press("/");
    await page.keyboard.type("has:video");
    assert.equal(await page.getByTestId("search").inputValue(), "has:video");
    // A bar already stuck at the top stays there: the reading place is kept.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await countIs("300 posts");
    await page.evaluate(() => window.scrollTo(0, 3000));
    const scrolled = await page.evaluate(() => window.scrollY);
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => window.scrollY), scrolled);
    await page.keyboard.press("Escape");
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});

test("3. Escape then / at once: the post going to be focused does not take the keyboard from the box", async () => {
  const { page } = session;
  await openSample();
  await page.getByTestId("search").focus();
  await page.keyboard.type("has:image");
  await countIs("39 posts");
  // The two keys as two tasks, both before the frame in which Escape's post would take the
  // focus (a fast typist, or a busy page: the rest of their query was typed as shortcuts, and
  // its "o" opened a picture).
  await page.evaluate(async () => {
    const key = (el, key) => el.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    key(document.getElementById("search"), "Escape");
    await new Promise((done) => setTimeout(done, 0));
    key(document.body, "/");
  });
  // The post's focus is tried over several frames.
  await page.evaluate(() => new Promise((done) => {
    let frames = 0;
    const next = () => (++frames > 10 ? done() : requestAnimationFrame(next));
    next();
  }));
  assert.equal(await page.evaluate(() => document.activeElement?.id), "search");
  await page.keyboard.type("has:video");
  assert.equal(await page.getByTestId("search").inputValue(), "has:video");
  assert.equal(await page.getByTestId("lightbox").count(), 0);
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await countIs("300 posts");
  assertClean(assert, session);
});

test("3. a skip link reaches the posts in a few Tab presses", async () => {
  const { page } = session;
  await openSample();
  await page.evaluate(() => document.activeElement?.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
  let presses = 0;
  // 20: the header has the language and theme pickers before the profile (its links and "Add
  // another archive") and the seven tabs; the link is the 17th stop.
  for (; presses < 20; presses++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement?.dataset?.testid === "skip-to-posts")) break;
  }
  assert.ok(presses < 20, "the skip link is among the first stops");
  // In the window where the user can see it, wherever the page is scrolled.
  const inView = async () => {
    const r = await page.getByTestId("skip-to-posts").evaluate((a) => { const r = a.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, h: innerHeight }; });
    return r.top >= 0 && r.bottom <= r.h ? true : `at ${r.top}–${r.bottom} of ${r.h}`;
  };
  assert.equal(await inView(), true);
  await page.evaluate(() => window.scrollTo({ top: 600, behavior: "instant" }));
  assert.equal(await inView(), true, "scrolled");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.dataset?.testid === "post");
  // The view (query, tab) is what it was: the link did not replace the hash.
  assert.equal(await page.getByTestId("tab-posts").getAttribute("aria-selected"), "true");
});

test("4. a multiple-choice poll shows shares of the people who voted", async () => {
  const { page, app } = session;
  if (await page.getByTestId("close").isVisible()) await page.getByTestId("close").click();
  const options = [2, 3, 3, 5].map((n, i) => ({ type: "Note", name: `option ${i}`, replies: { type: "Collection", totalItems: n } }));
  await app.drop(...archive([{ type: "Question", anyOf: options, votersCount: 9 }]));
  await app.opened();
  const poll = page.getByTestId("poll");
  await poll.waitFor();
  const text = await poll.textContent();
  for (const share of ["22% (2)", "33% (3)", "56% (5)"]) assert.ok(text.includes(share), text);
  assert.match(text, /9 people voted/);
});

test("7. the description of media missing from the archive is readable in full", async () => {
  const { page, app } = session;
  await page.getByTestId("close").click();
  const alt = "A long description. ".repeat(20) + "The end.";
  await app.drop(
    ...archive([
      { type: "Note", attachment: [{ type: "Document", mediaType: "image/png", url: "/media_attachments/files/1/x.png", name: alt }] },
    ]),
  );
  await app.opened();
  const caption = page.getByTestId("alt-text");
  await caption.waitFor();
  const full = await caption.evaluate((el) => el.scrollHeight <= el.clientHeight + 1);
  assert.ok(full, "the whole description is shown");
  assert.ok((await caption.textContent()).endsWith("The end."));
  // The missing file opens the viewer, which shows the description too.
  await page.getByTestId("media-missing").click();
  await page.getByRole("dialog").waitFor();
  assert.match(await page.getByRole("dialog").textContent(), /The end\./);
  await page.keyboard.press("Escape");
  await screenshot(page, "missing-media-alt");
});

test("7. the words of media missing from the archive are readable on its BlurHash colour, in both themes", async () => {
  const { page, app } = session;
  if (await page.getByTestId("close").isVisible()) await page.getByTestId("close").click();
  // The box behind is the BlurHash's average colour: black, then white (1 × 1 hashes).
  const missing = (blurhash) => ({ type: "Document", mediaType: "image/png", url: "/media_attachments/files/1/x.png", blurhash });
  await app.drop(...archive([{ attachment: [missing("000000")] }, { attachment: [missing("00TSUA")] }]));
  await app.opened();
  await page.getByTestId("media-missing").nth(1).waitFor();
  try {
    for (const theme of ["light", "dark"]) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      const found = await page.getByTestId("media-missing").evaluateAll((buttons) => {
        const rgb = (c) => c.match(/[\d.]+/g).map(Number);
        const lum = ([r, g, b]) => {
          const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        return buttons.map((button) => {
          // The words' colour, and the first opaque background behind them.
          const words = [...button.querySelectorAll("*")].find((el) => el.textContent.trim() && !el.children.length) ?? button;
          let el = words;
          let behind = null;
          while (el && !behind) {
            const bg = rgb(getComputedStyle(el).backgroundColor);
            if (bg.length === 3 || bg[3] === 1) behind = bg.slice(0, 3);
            el = el.parentElement;
          }
          const box = rgb(getComputedStyle(button.closest(".media-box")).backgroundColor).slice(0, 3);
          const [a, b] = [lum(rgb(getComputedStyle(words).color)), lum(behind)];
          return { box: box.join(), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
        });
      });
      assert.deepEqual(found.map((f) => f.box).sort(), ["0,0,0", "255,255,255"], "the boxes have the BlurHash's colours");
      for (const { box, ratio } of found) assert.ok(ratio >= 4.5, `${theme} theme, on rgb(${box}): ${ratio.toFixed(2)}`);
    }
  } finally {
    await page.evaluate(() => (document.documentElement.dataset.theme = "system"));
  }
});

test("7. a tall picture missing from the archive takes a short box, not a phone's screen", async () => {
  const { page, app } = session;
  if (await page.getByTestId("close").isVisible()) await page.getByTestId("close").click();
  const tall = { type: "Document", mediaType: "image/jpeg", url: "/media_attachments/files/1/tall.jpg", width: 1000, height: 3000, blurhash: "00TSUA" };
  await app.drop(...archive([{ attachment: [tall] }]));
  await app.opened();
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    const box = page.locator("[data-testid=media] .media-box").first();
    await box.waitFor();
    const height = await box.evaluate((b) => b.getBoundingClientRect().height);
    assert.ok(height > 40 && height < 160, `the box is ${height} px tall`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});

test("8. opening another archive while a search runs logs no error", async () => {
  const { page, app } = session;
  for (let i = 0; i < 6; i++) {
    await openSample();
    // A search, and at once another archive.
    await page.getByTestId("search").fill(`has:image during:202${i % 4}`);
    await page.getByTestId("close").click();
    await app.drop("mastodon-export.zip");
    await app.opened();
    await countIs("18 posts");
  }
});

test("2. on a phone the filters open in view, close after a choice, and the search area is compact", async () => {
  const { page } = session;
  await openSample();
  await page.setViewportSize({ width: 360, height: 780 });
  await page.evaluate(() => window.scrollTo(0, 3000));
  const sticky = await page.evaluate(() => document.querySelector(".search-bar").getBoundingClientRect().height);
  assert.ok(sticky < 150, `the sticky search area is ${sticky} px high`);
  // The banner takes two rows (the name and "Open another archive", then the two settings), not
  // four (it was 196 px high, above the profile, before the first post).
  const banner = await page.evaluate(() => document.querySelector(".site-header").getBoundingClientRect().height);
  assert.ok(banner < 110, `the banner is ${banner} px high`);
  // Export is in sight in the controls' row, left of where it fades out, without scrolling it.
  const exportRight = await page.evaluate(() => document.querySelector("[data-testid=export]").getBoundingClientRect().right);
  const rowRight = await page.evaluate(() => document.querySelector(".search-controls").getBoundingClientRect().right);
  assert.ok(exportRight <= rowRight - 28, `Export ends at ${exportRight} px, the row at ${rowRight} px`);
  await page.getByRole("button", { name: "Filters" }).click();
  const facets = page.getByTestId("facets");
  const box = await facets.boundingBox();
  assert.ok(box && box.y >= 0 && box.y < 780 && box.height > 100, JSON.stringify(box));
  await screenshot(page, "filters-phone");
  await page.locator("[data-facet=year] button[data-term='during:2024']").click();
  await countIs("108 posts");
  assert.equal(await facets.isVisible(), false, "a choice closes the sheet");
  // The results start in view, below the sticky search area.
  const first = await page.evaluate(() => ({
    post: document.querySelector("[data-testid=post]").getBoundingClientRect().top,
    bar: document.querySelector(".search-bar").getBoundingClientRect().bottom,
  }));
  assert.ok(first.post >= first.bar - 1 && first.post < 400, JSON.stringify(first));
  // Done and Escape close it too.
  await page.getByRole("button", { name: "Filters" }).click();
  await page.getByTestId("facets-done").click();
  assert.equal(await facets.isVisible(), false);
  await page.getByRole("button", { name: "Filters" }).click();
  await page.keyboard.press("Escape");
  assert.equal(await facets.isVisible(), false);
  // By keyboard: the sheet takes the focus (Tab would go on into the posts it covers), and
  // gives it back to Filters when it closes.
  await page.getByRole("button", { name: "Filters" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.dataset.testid === "facets-done");
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.activeElement?.closest("#facets")), "Tab stays in the sheet");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => document.activeElement?.classList.contains("facets-toggle"));
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("5. Print prints every result with its media and descriptions, without the app around it", async () => {
  const { page } = session;
  await openSample();
  await page.getByTestId("search").fill("has:image");
  await countIs("39 posts");
  // Headless Chromium has no print dialog: count the calls instead, and look with print styles.
  await page.evaluate(() => {
    window.__printed = 0;
    window.print = () => window.__printed++;
  });
  await page.getByTestId("print").click();
  await page.waitForFunction(() => window.__printed === 1, null, { timeout: 20_000 });
  await page.emulateMedia({ media: "print" });
  const view = page.getByTestId("print-view");
  assert.equal(await view.isVisible(), true);
  // Whose posts, and when printed: the paper says neither otherwise.
  assert.match(await page.getByTestId("print-whose").textContent(), /^@alice@example\.social, printed [A-Z][a-z]{2} \d{1,2}, 20\d\d$/);
  assert.equal(await view.locator("[data-testid=post]").count(), 39);
  assert.ok((await view.locator("[data-testid=media-image][data-drawn]").count()) > 0, "media thumbnails, drawn");
  assert.ok((await view.locator("figcaption").count()) > 0, "descriptions");
  assert.equal(await page.locator(".search-bar").isVisible(), false);
  assert.equal(await page.locator(".facets").isVisible(), false);
  assert.equal(await page.locator(".site-header").isVisible(), false);
  // Nor the controls above the posts: "Add another archive", "Keep on this device".
  assert.equal(await page.getByTestId("accounts").isVisible(), false);
  assert.equal(await page.getByTestId("keep-control").isVisible(), false);
  await page.pdf({ path: "test-results/print.pdf" });
  await page.emulateMedia({ media: "screen" });
  // From the browser's menu (no print view): first the hint to use Print, then the posts drawn,
  // across the page, not in the filters' grid column.
  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  await view.waitFor({ state: "detached" });
  await page.emulateMedia({ media: "print" });
  const hint = await page.locator(".print-hint").boundingBox();
  const post = await page.locator("[data-testid=post]").first().boundingBox();
  assert.ok(hint && post && hint.y < post.y, `the hint first: ${JSON.stringify({ hint, post })}`);
  assert.ok(post.x < 100 && post.width > 900, `the posts across the page: ${JSON.stringify(post)}`);
  await page.emulateMedia({ media: "screen" });
  // Ctrl+P does the same.
  await page.keyboard.press("Control+p");
  await page.waitForFunction(() => window.__printed === 2, null, { timeout: 20_000 });
});

test("6. the same word means the same set, and a query with no results keeps its filters", async () => {
  const { page } = session;
  await openSample();
  await page.getByTestId("tab-summary").click();
  // The summary counts your own posts by visibility, and says so.
  assert.match(await page.locator("[data-testid=summary-public]").locator("..").textContent(), /Your public posts/);
  await page.getByTestId("tab-posts").click();
  await page.getByTestId("search").fill("during:2024 has:audio has:poll");
  await countIs("0 posts");
  const year = page.locator("[data-facet=year] button[data-term='during:2024']");
  assert.equal(await year.getAttribute("aria-pressed"), "true");
  await year.click();
  assert.equal(await page.getByTestId("search").inputValue(), "has:audio has:poll");
  // An archive from before Mastodon 4.3 has no favourite counts, and a query about them says so.
  await page.getByTestId("close").click();
  await session.app.drop("mastodon-export.zip");
  await session.app.opened();
  await page.getByTestId("search").fill("likes:>=1");
  await countIs("0 posts");
  assert.match(await page.getByTestId("query-errors").textContent(), /no favourite or boost counts.*4\.3/);
});

test("6. a mistake in the last word is said once the typing pauses, and not while it goes on", async () => {
  const { page } = session;
  await openSample();
  const box = page.getByTestId("search");
  const errors = page.getByTestId("query-errors");
  await box.fill("");
  await box.pressSequentially("during:2023-13", { delay: 20 });
  // Without a space after it: a second later, the mistake is said, with its fix.
  await page.waitForFunction(() => /invalid date `2023-13`.*during:2023-12/.test(document.querySelector("[data-testid=query-errors]")?.textContent));
  // A key takes it away; the query finished right is told nothing.
  await box.press("Backspace");
  assert.equal((await errors.textContent()).trim(), "");
  await box.pressSequentially("2", { delay: 20 });
  await page.waitForTimeout(1500);
  assert.equal((await errors.textContent()).trim(), "");
  // Enter is a pause too.
  await box.fill("");
  await box.pressSequentially("→", { delay: 20 });
  await box.press("Enter");
  await page.waitForFunction(() => /nothing to search for in `→`/.test(document.querySelector("[data-testid=query-errors]")?.textContent));
  await box.fill("");
});

test("6. a query with no results says what each part taken out finds, and a click searches that", async () => {
  const { page } = session;
  await openSample();
  await page.getByTestId("search").fill("coffee has:poll");
  await countIs("0 posts");
  const broader = page.getByTestId("broader");
  await broader.waitFor();
  // As `permafrost search` counts them (crates/cli/tests: the same lines after "0 posts").
  assert.deepEqual(await broader.getByRole("button").allTextContents(), [
    "without “coffee”: 6 posts",
    "without “has:poll”: 11 posts",
  ]);
  // The part as written and the count, each isolated from the words around it.
  assert.deepEqual(await broader.locator("button bdi").allTextContents(), ["coffee", "6 posts", "has:poll", "11 posts"]);
  await broader.getByRole("button", { name: "without “coffee”: 6 posts" }).click();
  await countIs("6 posts");
  assert.equal(await page.getByTestId("search").inputValue(), "has:poll");
  await page.waitForFunction(() => document.activeElement?.dataset.testid === "count");
  // Back returns to the query that found nothing, which says so again.
  await page.goBack();
  await countIs("0 posts");
  assert.equal(await page.getByTestId("search").inputValue(), "coffee has:poll");
  await broader.waitFor();
  // By keyboard: Tab reaches the buttons, Enter searches.
  await page.getByTestId("search").focus();
  for (let i = 0; i < 40 && !(await broader.getByRole("button").first().evaluate((b) => b === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await page.keyboard.press("Enter");
  await countIs("6 posts");
  // A query of one part that finds nothing has no such list, nor the last empty result's.
  await page.getByTestId("search").fill("zzzqqq");
  await countIs("0 posts");
  await page.waitForTimeout(400);
  assert.equal(await broader.count(), 0);
});

test("6. at 360 px, with the bar below the fold, a query typed at once after / that finds nothing shows its words below the bar at the top", async () => {
  const { page } = session;
  await openSample();
  // A short window: the bar starts below the fold, as it does under a tall banner.
  await page.setViewportSize({ width: 360, height: 420 });
  try {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => document.activeElement?.blur());
    const before = await page.evaluate(() => document.querySelector(".search-bar").getBoundingClientRect().top);
    assert.ok(before > 420, `the bar starts at ${before}, below the fold`);
    // Typed key by key without waiting for the bar: the browser's scroll to the caret came at
    // the next key and left the bar at the bottom edge; then the shorter page and the words
    // that a result without posts shows, each pushed the page further.
    await page.keyboard.press("/");
    await page.keyboard.type("coffee has:poll", { delay: 30 });
    await countIs("0 posts");
    await page.getByTestId("broader").waitFor();
    await page.waitForTimeout(600);
    const where = await page.evaluate(() => {
      const rect = (s) => document.querySelector(s).getBoundingClientRect();
      return { bar: rect(".search-bar").top, below: rect(".search-bar").bottom, words: rect("[data-testid=no-results]").top, button: rect("[data-testid=broader] button").bottom };
    });
    assert.ok(Math.abs(where.bar) < 2, `the bar at ${where.bar}`);
    assert.ok(where.words >= where.below - 1, `the words at ${where.words}, under the bar (its bottom ${where.below})`);
    assert.ok(where.button <= 420, `the first button's bottom at ${where.button}`);
    await screenshot(page, "newuser-360-empty-typed");
  } finally {
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});

test("9. months read as months, the help reads as help", async () => {
  const { page } = session;
  await openSample();
  await page.locator("[data-facet=year] button[data-term='during:2024']").click();
  await countIs("108 posts");
  const month = await page.locator("[data-facet=month] .facet-label").first().textContent();
  assert.match(month, /^[A-Z][a-z]+ 2024$/);
  await page.getByTestId("query-help").click();
  const help = page.getByTestId("query-help-text");
  await help.waitFor();
  assert.ok((await help.locator("h3").count()) >= 5, "sections");
  assert.ok((await help.locator(".help-entry").count()) >= 30, "entries");
  assert.equal(await help.locator("h3", { hasText: "Search syntax" }).count(), 0, "no repeated title");
  assert.match(await help.locator(".help-entry", { hasText: "has:noalt" }).textContent(), /without a description/);
  await screenshot(page, "query-help");
  await page.keyboard.press("Escape");
});

test("9. a post's highlights are the words that matched, and accounts are named as people write them", async () => {
  const { page, app } = session;
  await page.getByTestId("close").click();
  const files = archive([
    { type: "Note", content: "<p>My bike, from ronsbikesblog.example</p>" },
    { type: "Note", content: "<p>Another post</p>" },
  ]);
  // No actor.json: the handle comes from the posts' addresses.
  await app.drop(files[0]);
  await app.opened();
  assert.equal(await page.getByTestId("profile-name").textContent(), "ana@self.example");
  const placeholder = page.getByTestId("avatar-placeholder");
  assert.equal((await placeholder.textContent()).trim(), "A");
  const card = await page.getByTestId("profile").boundingBox();
  const tile = await placeholder.boundingBox();
  assert.ok(tile.y >= card.y, "the placeholder sits inside the card");
  await page.getByTestId("search").fill("bike");
  await countIs("1 post");
  const marks = await page.locator("[data-testid=post] mark").allTextContents();
  assert.deepEqual(marks, ["bike"]);
  await screenshot(page, "no-actor-profile");
});

test("10. on a phone, no tab of an open archive is wider than the screen", async () => {
  const { page } = session;
  await openSample();
  await page.setViewportSize({ width: 360, height: 800 });
  try {
    const tabs = await page.getByRole("tab").evaluateAll((els) => els.map((el) => el.dataset.testid));
    assert.ok(tabs.length >= 7, tabs.join());
    for (const tab of tabs) {
      await page.getByTestId(tab).click();
      await page.waitForFunction((t) => document.querySelector(`[data-testid="${t}"]`).getAttribute("aria-selected") === "true", tab);
      await page.waitForTimeout(300);
      // What sticks out, named, so that a failure says where to look.
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll("body *")]
          .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5 && !el.closest(".scroll-x"))
          .slice(0, 3)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
      );
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `${tab}: the page is ${overflow}px too wide (${wide.join(", ")})`);
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByTestId("tab-posts").click();
  }
});

test("a view's link opened on the welcome screen is the view of the next archive; a closed archive's view leaves the URL", async () => {
  const { page } = session;
  await openSample();
  await page.getByTestId("search").fill("coffee ");
  await countIs("11 posts");
  await page.getByTestId("close").click();
  await page.getByTestId("dropzone").waitFor();
  assert.equal(await page.evaluate(() => location.hash), "");
  // A link to a view, followed in this tab (the hash alone changes: the page is not loaded again).
  await page.evaluate(() => (location.hash = "#q=coffee%20&sort=oldest"));
  await page.getByTestId("sample").click();
  await session.app.opened();
  await countIs("11 posts");
  assert.equal(await page.getByTestId("search").inputValue(), "coffee ");
  assert.equal(await page.getByTestId("sort").inputValue(), "oldest");
  // Back from the welcome screen to the closed archive's view is no link: the URL is left
  // clean, and the next archive opens on all its posts.
  await page.getByTestId("tab-stats").click();
  await page.getByTestId("close").click();
  await page.getByTestId("dropzone").waitFor();
  await page.goBack();
  await page.waitForFunction(() => location.hash === "");
  await page.getByTestId("sample").click();
  await session.app.opened();
  assert.equal(await page.getByTestId("search").inputValue(), "");
  assert.equal(await page.getByTestId("tab-posts").getAttribute("aria-selected"), "true");
  assert.doesNotMatch(await count(), /^11 /);
});

test("an archive closed by mistake opens again from the welcome screen, without choosing its files", async () => {
  const { page } = session;
  await openSample();
  await page.getByTestId("close").click();
  const reopen = page.getByTestId("reopen");
  assert.match(await reopen.textContent(), /^Open .+ again$/);
  await reopen.click();
  await session.app.opened();
  await countIs("300 posts");
  // A file dropped by mistake meanwhile, which is no archive, does not take its place.
  await page.getByTestId("close").click();
  await session.app.drop({ name: "notes.txt", bytes: new TextEncoder().encode("hello") });
  await page.getByTestId("error").waitFor();
  await page.getByTestId("reopen").click();
  await session.app.opened();
  await countIs("300 posts");
});

test("nothing left the page, and no console error", () => {
  assertClean(assert, session);
});
