// Every visible string of the page is in the catalogue (README, "Languages"): in German and in
// Japanese, the sample archive is opened and every tab and dialog is walked (the timeline, the
// search syntax, the shortcuts, the filters, the export dialog, the statistics, memories, likes
// and bookmarks, media and its viewer, people, the summary with its notes and settings, a
// post's media viewer). At each stop every visible text node, and every aria-label, title and
// placeholder, is read, leaving out what comes from the archive (post text, names, addresses,
// descriptions). The test fails on any word of the English catalogue that the language's own
// catalogue does not have: a string written into a view instead of the catalogue, or a key left
// untranslated, shows up as English words on a German or Japanese page.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, assertClean, open, screenshot } from "./harness.mjs";

const flat = (o, p = "", out = {}) => {
  for (const [k, v] of Object.entries(o)) {
    const key = p ? `${p}.${k}` : k;
    if (typeof v === "string") out[key] = v;
    else flat(v, key, out);
  }
  return out;
};
const catalogue = (lang) => flat(JSON.parse(readFileSync(join(ROOT, "locales", `${lang}.json`), "utf8")));
// File names (permafrost-archive-2026-12-02.zip) are names, not words.
const words = (text) =>
  (text.replace(/[\w.-]+\.(zip|json|csv|html|md)\b/g, "").toLowerCase().match(/[a-z]{4,}/g) ?? []);

/** Words of the English catalogue that `lang`'s catalogue never uses: English on its page. */
function englishWords(lang) {
  const en = catalogue("en");
  const own = new Set(Object.values(catalogue(lang)).flatMap(words));
  const out = new Set();
  for (const [key, value] of Object.entries(en)) {
    // The query help's examples (coffee, morning) and placeholders' names are not UI words.
    if (key === "help.text") continue;
    for (const w of words(value.replace(/\{[a-z_]+\}/g, ""))) if (!own.has(w)) out.add(w);
  }
  return out;
}

// What the archive says, not the page: left out of the scan with everything inside.
const DATA = [
  ".post-content", ".cw-summary", ".profile-bio", ".profile-fields", ".profile-names", ".profile-handle",
  ".poll .option", "q", "code", "bdi", "kbd", ".person-address", ".facet-label", ".bar-label",
  "figcaption", "[data-testid=lightbox-alt]", ".lightbox-caption", ".tags", "a.hashtag", "a.mention",
  "a.external", ".domain", ".query-errors", ".diagnostic-group li", "[data-testid=summary-format]",
  "[data-testid=summary-handle]", "[data-testid=summary-languages]", "[data-testid=summary-lists]",
  ".chip-button[data-filter]", "[data-testid=time-zone]", "time", "pre", ".raw-json pre", ".suggestions",
  "[data-testid=language]", ".brand", "select#search", "input",
];

async function visibleStrings(page) {
  return page.evaluate((dataSelectors) => {
    const data = dataSelectors.join(",");
    const out = [];
    const visible = (el) => el.checkVisibility?.({ checkOpacity: false, checkVisibilityCSS: true }) ?? true;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent.trim();
      if (!text || !el || el.closest(data) || el.closest("script,style") || !visible(el)) continue;
      out.push(text);
    }
    for (const el of document.body.querySelectorAll("[aria-label],[title],[placeholder]")) {
      if (el.closest(data) && !el.matches("input[placeholder]")) continue;
      for (const a of ["aria-label", "title", "placeholder"]) {
        const v = el.getAttribute(a);
        if (!v) continue;
        // A control named after archive data ("@ana@example.org: 3 posts", a tile's alt text)
        // keeps the page's words only: the data part is what follows the last colon.
        out.push(el.matches("[data-term],[data-open],.media-open,a.hashtag,a.mention,[data-testid=post]")
          ? v.split(/[:：]/)[0] : v);
      }
    }
    return out;
  }, DATA);
}

for (const [lang, locale] of [["de", "de-DE"], ["ja", "ja-JP"]]) {
  test(`${lang}: no English word of the catalogue on any tab or dialog`, async () => {
    const english = englishWords(lang);
    const session = await open({ locale });
    const { page, app } = session;
    const found = new Map();
    const scan = async (where) => {
      for (const s of await visibleStrings(page)) {
        const bad = words(s).filter((w) => english.has(w));
        if (bad.length) found.set(s, `${where}: ${bad.join(", ")}`);
      }
    };
    try {
      await scan("welcome");
      await page.locator("details.help summary").click();
      await scan("welcome help");
      await page.getByTestId("sample").click();
      await app.opened();
      await page.getByTestId("post").first().waitFor();
      await scan("posts");
      await page.getByTestId("query-help").click();
      await page.getByTestId("query-help-text").waitFor();
      await scan("search syntax");
      await page.keyboard.press("Escape");
      await page.keyboard.press("?");
      await page.getByTestId("dialog").waitFor();
      await scan("shortcuts");
      await page.keyboard.press("Escape");
      await page.getByTestId("export").click();
      await page.getByTestId("export-dialog").waitFor();
      await page.getByTestId("export-plan").filter({ hasText: /\S/ }).waitFor();
      await scan("export");
      for (const f of ["media_csv", "zip", "html"]) {
        const radio = page.getByTestId(`format-${f}`);
        if (await radio.count()) await radio.check();
        await scan(`export ${f}`);
      }
      await page.keyboard.press("Escape");
      await page.getByTestId("pick").first().click();
      await scan("selection");
      // A post's media viewer.
      await page.getByTestId("search").fill("has:image");
      await page.locator("[data-testid=media-image]").first().waitFor({ timeout: 20_000 }).catch(() => {});
      const image = page.locator(".media-open").first();
      if (await image.count()) {
        await image.click();
        await scan("post viewer");
        await page.keyboard.press("Escape");
      }
      await page.getByTestId("search").fill("zzzqqqxxy hass:media");
      await page.getByTestId("no-results").waitFor();
      await scan("no results");
      await page.getByTestId("search").fill("");
      for (const tab of ["stats", "memories", "saved", "media", "people", "summary"]) {
        await page.getByTestId(`tab-${tab}`).click();
        await page.waitForTimeout(800);
        await page.waitForFunction(() => !document.querySelector("#tabpanel .hint")?.textContent.match(/…$/), null, { timeout: 20_000 }).catch(() => {});
        await scan(tab);
        if (tab === "saved") {
          await page.getByTestId("saved-bookmarks").click();
          await page.waitForTimeout(800);
          await scan("bookmarks");
        }
        if (tab === "media") {
          const tile = page.getByTestId("media-tile").first();
          if (await tile.count()) {
            await tile.click();
            await page.getByTestId("lightbox").waitFor();
            await scan("media viewer");
            await page.keyboard.press("Escape");
          }
          await page.getByTestId("media-noalt").click();
          await page.waitForTimeout(500);
          await scan("media without alt");
        }
        if (tab === "people") {
          for (const t of await page.locator("[data-table]").evaluateAll((els) => els.map((e) => e.dataset.table))) {
            await page.locator(`[data-table="${t}"]`).click();
            await page.waitForTimeout(400);
            await scan(`people ${t}`);
          }
        }
        if (tab === "summary") {
          const notes = page.getByTestId("diagnostics");
          if (await notes.count()) await notes.locator("summary").click();
          await scan("summary notes");
        }
        if (tab === "stats") {
          for (const d of await page.locator("details.chart-table summary").all()) await d.click();
          await scan("stats tables");
        }
      }
      await screenshot(page, `i18n-coverage-${lang}`, { fullPage: false });
      const report = [...found].map(([s, why]) => `  ${why}: ${JSON.stringify(s)}`).join("\n");
      assert.equal(found.size, 0, `English on the ${lang} page:\n${report}`);
      assertClean(assert, session);
    } finally {
      await session.close();
    }
  });
}
