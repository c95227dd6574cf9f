// The interface's languages (README, "Languages"): English, German, French, Spanish and Japanese.
// For each: the page speaks the browser's language at first visit (Playwright's `locale`, which
// sets navigator.languages) and stores nothing; the header's picker switches to it without losing
// the open archive, the query or the tab, and remembers it across a reload; the welcome heading,
// the search label and a count ("300 posts", with the language's plural rules) are in it.
// A screenshot per language goes to test-results/ (i18n-LANG.png).

import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClean, open, screenshot, waitForCount } from "./harness.mjs";

const LANGS = {
  en: { locale: "en-US", welcome: "Read and search your Mastodon archive", search: "Search your posts", posts: "300 posts", none: "0 posts" },
  de: { locale: "de-DE", welcome: "Ihr Mastodon-Archiv lesen und durchsuchen", search: "Ihre Beiträge durchsuchen", posts: "300 Beiträge", none: "0 Beiträge" },
  fr: { locale: "fr-FR", welcome: "Lisez et explorez votre archive Mastodon", search: "Rechercher dans vos messages", posts: "300 messages", none: "0 message" },
  es: { locale: "es-ES", welcome: "Lee y busca en tu archivo de Mastodon", search: "Busca en tus publicaciones", posts: "300 publicaciones", none: "0 publicaciones" },
  ja: { locale: "ja-JP", welcome: "Mastodon のアーカイブを読んで検索", search: "投稿を検索", posts: "300 件の投稿", none: "0 件の投稿" },
};

async function openSample(page, app) {
  await page.getByTestId("sample").click();
  await app.opened();
}

async function search(page, query, expected) {
  await page.getByTestId("search").fill(query);
  await waitForCount(page, expected);
}

for (const [lang, want] of Object.entries(LANGS)) {
  test(`${lang}: chosen from the browser's language at first visit`, async () => {
    const session = await open({ locale: want.locale });
    const { page, app } = session;
    try {
      assert.equal(await page.locator("html").getAttribute("lang"), lang);
      assert.equal((await page.locator("#welcome-title").textContent()).trim(), want.welcome);
      // The tab's title too.
      const title = await page.title();
      assert.ok(title.startsWith("Permafrost"), title);
      assert.equal(title === "Permafrost: read and search your Mastodon archive", lang === "en", title);
      assert.equal(await page.getByTestId("language").inputValue(), lang);
      await openSample(page, app);
      await waitForCount(page, want.posts);
      assert.equal((await page.locator("label[for=search]").textContent()).trim(), want.search);
      // Plural rules: French counts 0 as singular, Japanese has one form.
      await search(page, "zzzqqqxxy", want.none);
      // A reply's quoted parent: French sets its guillemets apart with narrow no-break spaces.
      await page.getByTestId("search").fill("is:self-reply");
      const quoted = page.locator("[data-testid=reply-parent] q").first();
      await quoted.waitFor();
      const quotes = await quoted.evaluate((q) => getComputedStyle(q).quotes);
      assert.equal(quotes.includes("\u202f"), lang === "fr", quotes);
      await search(page, "", want.posts);
      await screenshot(page, `i18n-${lang}`, { fullPage: false });
      // Nothing is stored for a language the user did not choose.
      const stored = await page.evaluate(() => localStorage.getItem("permafrost.lang"));
      assert.equal(stored, null);
      assertClean(assert, session);
    } finally {
      await session.close();
    }
  });
}

test("switching in the header keeps the archive, the query and the tab, and is remembered", async () => {
  const session = await open({ locale: "en-US" });
  const { page, app } = session;
  try {
    const picker = page.getByTestId("language");
    assert.deepEqual(
      await picker.locator("option").allTextContents(),
      ["English", "Deutsch", "Français", "Español", "日本語"],
    );
    // On the welcome screen.
    for (const [lang, want] of Object.entries(LANGS)) {
      await picker.selectOption(lang);
      await page.waitForFunction((t) => document.querySelector("#welcome-title")?.textContent === t, want.welcome);
      assert.equal(await page.locator("html").getAttribute("lang"), lang);
    }
    await picker.selectOption("en");
    await openSample(page, app);
    await search(page, "zzzqqqxxy", "0 posts");
    await page.getByTestId("tab-posts").click();
    for (const [lang, want] of Object.entries(LANGS)) {
      await picker.selectOption(lang);
      await waitForCount(page, want.none);
      assert.equal(await page.getByTestId("search").inputValue(), "zzzqqqxxy");
      assert.equal((await page.locator("label[for=search]").textContent()).trim(), want.search);
      await page.getByTestId("archive").waitFor();
    }
    // The last choice (Japanese) is remembered, and only it.
    assert.equal(await page.evaluate(() => localStorage.getItem("permafrost.lang")), "ja");
    await page.reload();
    await page.getByTestId("dropzone").waitFor();
    assert.equal((await page.locator("#welcome-title").textContent()).trim(), LANGS.ja.welcome);
    assert.equal(await page.locator("html").getAttribute("lang"), "ja");
    for (const [lang, want] of Object.entries(LANGS)) {
      await picker.selectOption(lang);
      await page.waitForFunction((t) => document.querySelector("#welcome-title")?.textContent === t, want.welcome);
      await screenshot(page, `i18n-welcome-${lang}`, { fullPage: false });
    }
    assertClean(assert, session);
  } finally {
    await session.close();
  }
});
