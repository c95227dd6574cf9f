// For people: contrast of every colour pair the stylesheet uses (both themes, WCAG AA 4.5:1),
// landmarks, labels, visible focus, reduced motion, and how fast the welcome screen appears.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertClean, open } from "./harness.mjs";

let session;
before(async () => {
  session = await open();
});
after(async () => {
  await session?.close();
});

// A measurement, printed, not asserted (timings belong in benchmarks, not in pass/fail tests).
test("how fast the welcome screen appears", async () => {
  const { page } = session;
  const ready = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return { now: performance.now(), domContentLoaded: nav?.domContentLoadedEventEnd };
  });
  console.log(
    `# welcome screen ready within ${Math.round(ready.now)} ms of navigation (DOMContentLoaded ${Math.round(ready.domContentLoaded)} ms)`,
  );
});

// Text colour, background colour: every pair the stylesheet puts together.
const PAIRS = [
  ["--fg", "--bg"], ["--fg", "--bg-soft"], ["--fg", "--bg-raised"], ["--fg", "--accent-soft"],
  ["--fg-muted", "--bg"], ["--fg-muted", "--bg-soft"], ["--fg-muted", "--bg-raised"],
  ["--accent", "--bg"], ["--accent", "--bg-soft"], ["--accent", "--bg-raised"], ["--accent", "--accent-soft"],
  ["--accent-fg", "--accent"], ["--mark-fg", "--mark"], ["--danger", "--danger-soft"], ["--danger", "--bg"],
];

for (const theme of ["light", "dark"]) {
  test(`colour contrast meets WCAG AA in the ${theme} theme`, async () => {
    const { page } = session;
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    const ratios = await page.evaluate((pairs) => {
      const style = getComputedStyle(document.documentElement);
      const rgb = (v) => {
        const el = document.createElement("span");
        el.style.color = style.getPropertyValue(v).trim();
        document.body.append(el);
        const [r, g, b] = getComputedStyle(el).color.match(/\d+/g).map(Number);
        el.remove();
        return [r, g, b];
      };
      const lum = ([r, g, b]) => {
        const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      return pairs.map(([fg, bg]) => {
        const [a, b] = [lum(rgb(fg)), lum(rgb(bg))];
        return [fg, bg, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
      });
    }, PAIRS);
    for (const [fg, bg, ratio] of ratios) assert.ok(ratio >= 4.5, `${fg} on ${bg}: ${ratio.toFixed(2)}`);
    await page.evaluate(() => (document.documentElement.dataset.theme = "system"));
  });
}

test("landmarks, labels and alt text", async () => {
  const { app, page } = session;
  await app.drop("mastodon-export.zip");
  await app.opened();
  await page.getByTestId("post").first().waitFor();
  for (const role of ["banner", "main", "contentinfo", "search", "complementary"]) {
    assert.ok((await page.getByRole(role).count()) >= 1, `a ${role} landmark`);
  }
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, button")]
      .filter((el) => el.type !== "file" && !el.labels?.length && !el.getAttribute("aria-label") && !el.textContent.trim())
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unlabelled, []);
  const noAlt = await page.evaluate(() => [...document.querySelectorAll("img")].filter((i) => !i.hasAttribute("alt")).length);
  assert.equal(noAlt, 0);
  assert.equal(await page.getByLabel("Search your posts").getAttribute("type"), "search");
});

test("the view tabs are one Tab stop, moved along by the arrows, Home and End", async () => {
  const { page } = session;
  const selected = () => page.evaluate(() => document.querySelector("[role=tab][aria-selected=true]")?.id);
  const focused = () => page.evaluate(() => document.activeElement?.id);
  await page.getByTestId("tab-posts").focus();
  for (const [key, id] of [
    ["ArrowRight", "tab-stats"],
    ["ArrowRight", "tab-memories"],
    ["End", "tab-summary"],
    ["ArrowRight", "tab-posts"],
    ["ArrowLeft", "tab-summary"],
    ["Home", "tab-posts"],
  ]) {
    await page.keyboard.press(key);
    await page.waitForFunction((id) => document.querySelector("[role=tab][aria-selected=true]")?.id === id, id);
    assert.equal(await focused(), id, `${key} focuses ${id}`);
  }
  assert.equal(await selected(), "tab-posts");
  // Only the tab shown is in the Tab order: the next Tab leaves the row.
  const stops = await page.evaluate(() => [...document.querySelectorAll("[role=tab]")].filter((t) => t.tabIndex === 0).map((t) => t.id));
  assert.deepEqual(stops, ["tab-posts"]);
  await page.keyboard.press("Tab");
  assert.notEqual(await page.evaluate(() => document.activeElement?.getAttribute("role")), "tab");
});

test("the export dialog: labelled controls, focus inside, Escape returns focus", async () => {
  const { page } = session;
  // A window shorter than the dialog: it scrolls, under its sticky footer.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 700 });
  await page.getByTestId("export").focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Export" });
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute("aria-modal"), "true");
  assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), "focus moves into the dialog");
  const unlabelled = await dialog.evaluate((d) =>
    [...d.querySelectorAll("input, select, button")]
      .filter((el) => !el.labels?.length && !el.getAttribute("aria-label") && !el.textContent.trim())
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unlabelled, []);
  // Tab goes round inside the dialog, both ways, never to the page it covers.
  const inside = () => dialog.evaluate((d) => d.contains(document.activeElement));
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Close", "Shift+Tab from the dialog: its last button");
  await page.keyboard.press("Tab");
  assert.ok(await dialog.evaluate((d) => d.querySelector("input") === document.activeElement), "Tab from the last: its first control");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Close", "Shift+Tab from the first: the last");
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    assert.ok(await inside(), `Tab ${i + 1} left the dialog for ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))}`);
    // The control reached is in sight, not under the footer.
    const under = await page.evaluate(() => {
      const a = document.activeElement;
      const footer = document.querySelector(".export-footer");
      return footer.contains(a) ? 0 : a.getBoundingClientRect().bottom - footer.getBoundingClientRect().top;
    });
    assert.ok(under <= 0, `Tab ${i + 1}: ${await page.evaluate(() => document.activeElement?.dataset.testid)} is ${under} px under the footer`);
  }
  // Every choice is reachable by keyboard: Tab to the formats, arrows move between them.
  await dialog.getByTestId("format-csv").focus();
  await page.keyboard.press("ArrowDown");
  assert.equal(await dialog.getByTestId("format-media-csv").isChecked(), true);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), "export");
  await page.setViewportSize(size);
});

test("on a phone, a long help dialog keeps its Close button in view", async () => {
  const { page } = session;
  await page.setViewportSize({ width: 360, height: 640 });
  try {
    await page.getByTestId("query-help").click();
    const dialog = page.getByRole("dialog", { name: "Search syntax" });
    await dialog.waitFor();
    // Longer than the screen: it scrolls, and Close stays at its foot (no Escape key on a phone).
    assert.ok(await dialog.evaluate((d) => d.scrollHeight > d.clientHeight), "the help scrolls");
    const close = dialog.getByRole("button", { name: "Close" });
    const inView = () => close.evaluate((b) => {
      const r = b.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight;
    });
    assert.ok(await inView(), "Close in view at the top of the help");
    await dialog.evaluate((d) => d.scrollTo(0, d.scrollHeight / 2));
    assert.ok(await inView(), "Close in view halfway down");
    await close.click();
    await dialog.waitFor({ state: "detached" });
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});

test("focus is visible", async () => {
  const { page } = session;
  await page.getByTestId("search").focus();
  await page.keyboard.press("Tab");
  const outline = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return `${s.outlineStyle} ${s.outlineWidth}`;
  });
  assert.match(outline, /^solid [1-9]/, outline);
});

test("reduced motion: no transitions", async () => {
  const { page } = session;
  const duration = await page.evaluate(() => getComputedStyle(document.querySelector(".button")).transitionDuration);
  assert.equal(duration, "0s");
});

test("no request left the page and nothing went wrong in the console", () => {
  assertClean(assert, session);
});
