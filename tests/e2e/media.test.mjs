// Media from a real archive: the image is read from the ZIP by the worker and drawn into a canvas
// at the size it shows at (no larger); the lightbox shows the file from a Blob URL, with its
// description or its absence.

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
  const image = page.locator("[data-testid=media-image][data-drawn]").first();
  await image.waitFor();
  const drawn = await image.evaluate((c) => {
    // Its pixels, copied out through a canvas of our own.
    const copy = document.createElement("canvas");
    [copy.width, copy.height] = [c.width, c.height];
    const context = copy.getContext("2d");
    context.drawImage(c, 0, 0);
    const rgba = context.getImageData(0, 0, c.width, c.height).data;
    let opaque = 0;
    for (let i = 3; i < rgba.length; i += 4) if (rgba[i] > 0) opaque++;
    const box = c.parentElement.getBoundingClientRect();
    return { w: c.width, h: c.height, bw: box.width, bh: box.height, opaque, dpr: devicePixelRatio, tag: c.tagName };
  });
  assert.equal(drawn.tag, "CANVAS");
  assert.ok(drawn.opaque > (drawn.w * drawn.h) / 2, `the picture has pixels: ${drawn.opaque} of ${drawn.w} × ${drawn.h}`);
  // No description in this archive: the badge says so.
  await page.locator(".no-alt", { hasText: "No alt text" }).first().waitFor();
  await page.locator("button.media-open").first().click();
  await page.getByTestId("lightbox").waitFor();
  await page.locator(".no-alt-badge").waitFor();
  // The lightbox has the file itself; the row's picture is that image at the smallest size that
  // covers its box (or whole, if it is smaller).
  const natural = await page.locator("[data-testid=lightbox] img").evaluate(async (img) => {
    await img.decode();
    return { w: img.naturalWidth, h: img.naturalHeight, src: img.src };
  });
  assert.match(natural.src, /^blob:/);
  const scale = Math.min(1, Math.max((drawn.bw * drawn.dpr) / natural.w, (drawn.bh * drawn.dpr) / natural.h));
  assert.ok(Math.abs(drawn.w - natural.w * scale) <= 2 && Math.abs(drawn.h - natural.h * scale) <= 2,
    `drawn ${drawn.w} × ${drawn.h} for a ${drawn.bw} × ${drawn.bh} box of a ${natural.w} × ${natural.h} image`);
  await screenshot(page, "media-lightbox");
  // Tab goes round its buttons and never to the page it covers, so Escape still closes it.
  const lightbox = page.getByTestId("lightbox");
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press(i % 4 === 3 ? "Shift+Tab" : "Tab");
    assert.ok(await lightbox.evaluate((l) => l.contains(document.activeElement)), `Tab ${i + 1} left the lightbox`);
  }
  await page.keyboard.press("Escape");
  await lightbox.waitFor({ state: "detached" });
});

test("the profile header shows the archive's avatar", async () => {
  const { page } = session;
  const avatar = page.locator("img.profile-avatar");
  await avatar.waitFor();
  await page.waitForFunction(() => document.querySelector("img.profile-avatar")?.naturalWidth > 1);
  assert.equal(await page.getByTestId("profile-name").textContent(), "Les Orchard");
});

test("media no longer shown lets go: pictures free their pixels, Blob URLs are revoked", async () => {
  const { page } = session;
  // The lightbox's Blob URL, once it is closed.
  await page.locator("button.media-open").first().click();
  const src = await page.locator("[data-testid=lightbox] img").getAttribute("src");
  await page.keyboard.press("Escape");
  await page.getByTestId("lightbox").waitFor({ state: "detached" });
  await page.evaluate(() => (window.__picture = document.querySelector("[data-testid=media-image]")));
  await page.getByTestId("search").fill("-has:image");
  await page.waitForFunction(() => !document.querySelector("[data-testid=media-image]"));
  assert.deepEqual(await page.evaluate(() => [window.__picture.width, window.__picture.height]), [0, 0]);
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
    await s.page.locator(".media canvas[data-drawn], .media [data-testid=media-play]").first().waitFor();
    assertClean(assert, s);
  } finally {
    await s.close();
  }
});

test("videos and sounds are read only when played; a GIF shows its first frame and plays in the lightbox", async () => {
  const s = await open();
  try {
    const { page } = s;
    await page.getByTestId("sample").click();
    await s.app.opened();
    // Every Blob URL the page makes from here on.
    await page.evaluate(() => {
      window.__made = 0;
      const make = URL.createObjectURL;
      URL.createObjectURL = (object) => (window.__made++, make(object));
    });
    await page.getByTestId("search").fill("has:video -is:sensitive");
    await page.waitForFunction(() => /^[1-9]\d* posts?$/.test(document.querySelector("[data-testid=count]")?.textContent ?? ""));
    const play = page.locator("[data-testid=media-play]", { hasText: "Play the video" }).first();
    await play.waitFor();
    // Rows ask for their media 120 ms after they are drawn: long past that, nothing was read.
    await page.waitForTimeout(600);
    assert.equal(await page.locator(".media video").count(), 0);
    assert.equal(await page.evaluate(() => window.__made), 0, "no Blob URL made before Play");
    await play.click();
    const video = page.locator(".media video").first();
    await video.waitFor();
    assert.match(await video.getAttribute("src"), /^blob:/);
    assert.equal(await video.evaluate((v) => v.autoplay && v.controls), true);
    assert.equal(await page.evaluate(() => window.__made), 1);

    await page.getByTestId("search").fill("has:gif");
    await page.waitForFunction(() => /^[1-9]\d* posts?$/.test(document.querySelector("[data-testid=count]")?.textContent ?? ""));
    const gif = page.locator(".media:has(.media-badge) [data-testid=media-image][data-drawn]").first();
    await gif.waitFor();
    assert.equal(await gif.evaluate((c) => c.tagName), "CANVAS");
    await page.locator(".media:has(.media-badge) button.media-open").first().click();
    const animated = page.locator("[data-testid=lightbox] img");
    await animated.waitFor();
    assert.match(await animated.getAttribute("src"), /^blob:/);
    await screenshot(page, "gif-lightbox");
    await page.keyboard.press("Escape");
    assertClean(assert, s);
  } finally {
    await s.close();
  }
});
