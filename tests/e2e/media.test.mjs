// Media from a real archive: the image is read from the ZIP by the worker and shown from a Blob
// URL; it decodes (it has a natural width); the lightbox shows its description or its absence.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertClean, open, screenshot } from "./harness.mjs";

let session;
before(async () => {
  session = await open();
});
after(async () => {
  await session?.close();
});

test("an image from the archive displays", async () => {
  const { app, page } = session;
  await app.drop("mastodon-export.zip");
  await app.opened();
  await page.getByTestId("search").fill("has:image");
  await page.waitForFunction(() => document.querySelector("[data-testid=count]")?.textContent === "1 post");
  const image = page.getByTestId("media-image").first();
  await image.waitFor();
  await page.waitForFunction(() => document.querySelector("[data-testid=media-image]")?.complete);
  const { width, src } = await image.evaluate((img) => ({ width: img.naturalWidth, src: img.src }));
  assert.ok(width > 1, `natural width ${width}`);
  assert.match(src, /^blob:/);
  // No description in this archive: the badge says so.
  await page.locator(".no-alt", { hasText: "No alt text" }).first().waitFor();
  await page.locator("button.media-open").first().click();
  await page.getByTestId("lightbox").waitFor();
  await page.locator(".no-alt-badge").waitFor();
  await screenshot(page, "media-lightbox");
  await page.keyboard.press("Escape");
});

test("the profile header shows the archive's avatar", async () => {
  const { page } = session;
  const avatar = page.locator("img.profile-avatar");
  await avatar.waitFor();
  await page.waitForFunction(() => document.querySelector("img.profile-avatar")?.naturalWidth > 1);
  assert.equal(await page.getByTestId("profile-name").textContent(), "Les Orchard");
});

test("Blob URLs of media no longer shown are revoked", async () => {
  const { page } = session;
  const src = await page.getByTestId("media-image").first().getAttribute("src");
  await page.getByTestId("search").fill("-has:image");
  await page.waitForFunction(() => !document.querySelector("[data-testid=media-image]"));
  // Revocation waits two seconds (an image being removed may still be starting to load).
  await page.waitForTimeout(2500);
  // (An <img> may load blob: URLs under the page's policy; fetch() may not.)
  const still = await page.evaluate(
    (url) =>
      new Promise((resolve) => {
        const img = new Image();
        img.onload = () => resolve(true);
        img.onerror = () => resolve(false);
        img.src = url;
      }),
    src,
  );
  assert.equal(still, false, "the old Blob URL was revoked");
});

test("no request left the page and nothing went wrong in the console", () => {
  // Loading the revoked Blob URL above fails by design: drop its console line.
  session.errors = session.errors.filter((e) => !e.includes("ERR_FILE_NOT_FOUND"));
  assertClean(assert, session);
});

test("sensitive media shows its BlurHash, decoded by the worker, until revealed", async () => {
  const s = await open();
  try {
    await s.page.getByTestId("sample").click();
    await s.app.opened();
    await s.page.getByTestId("search").fill("is:sensitive has:media");
    await s.page.waitForFunction(() => /^[1-9]\d* posts?$/.test(document.querySelector("[data-testid=count]")?.textContent ?? ""));
    // These posts also carry content warnings: open them, the media stays hidden.
    for (const button of await s.page.getByTestId("cw-toggle").all()) await button.click();
    await s.page.waitForFunction(() => document.querySelector(".media img.placeholder")?.complete);
    const { width, src } = await s.page.locator(".media img.placeholder").first().evaluate((img) => ({ width: img.naturalWidth, src: img.src }));
    assert.equal(width, 32, "a 32-pixel image scaled up");
    assert.match(src, /^blob:/);
    assert.equal(await s.page.getByTestId("media-image").count(), 0, "the file itself is not shown yet");
    await screenshot(s.page, "sensitive-placeholder");
    await s.page.locator(".reveal").first().click();
    await s.page.locator(".media img:not(.placeholder), .media video, .media audio").first().waitFor();
    assertClean(assert, s);
  } finally {
    await s.close();
  }
});
