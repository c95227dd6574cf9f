// Every visible string of the page is in the catalogue (README, "Languages"): in German and in
// Japanese, the sample archive is opened and every tab and dialog is walked (the timeline, the
// search syntax, the shortcuts, the filters, the export dialog, the statistics, memories, likes
// and bookmarks, media and its viewer, people, the summary with its notes and settings, a
// post's media viewer). At each stop every visible text node, and every aria-label, title and
// placeholder, is read, leaving out what comes from the archive (post text, names, addresses,
// descriptions). The test fails on any word of the English catalogue that the language's own
// catalogue does not have: a string written into a view instead of the catalogue, or a key left
// untranslated, shows up as English words on a German or Japanese page.
// The worker's messages are scanned too (the query's mistakes, the Summary's notes on what could
// not be read, the error when a file cannot be opened): their arguments (a file name, a query
// term) are the archive's, set apart in <bdi>; the rest must be the language's.

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
  "a.external", ".domain",
  "[data-testid=summary-handle]", "[data-testid=summary-languages]", "[data-testid=summary-lists]",
  ".chip-button[data-filter]", "[data-testid=time-zone]", "time", "pre", ".raw-json pre", ".suggestions",
  "[data-testid=language]", ".brand", "select#search", "input",
  // A picture's name is its description (an <img>'s alt, which is not scanned either).
  "[data-testid=media-image]",
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

/** Scans the page's visible strings for English words of the catalogue, keeping each offending
 * string with where it was seen; `report` lists them for the assertion's message. */
function scanner(page, english) {
  const found = new Map();
  const scan = async (where) => {
    for (const s of await visibleStrings(page)) {
      const bad = words(s).filter((w) => english.has(w));
      if (bad.length) found.set(s, `${where}: ${bad.join(", ")}`);
    }
  };
  const report = () => [...found].map(([s, why]) => `  ${why}: ${JSON.stringify(s)}`).join("\n");
  return { scan, found, report };
}

for (const [lang, locale] of [["de", "de-DE"], ["ja", "ja-JP"]]) {
  test(`${lang}: no English word of the catalogue on any tab or dialog`, async () => {
    const english = englishWords(lang);
    const session = await open({ locale });
    const { page, app } = session;
    const { scan, found, report } = scanner(page, english);
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
          // Each table is made as its disclosure opens (src/ui/stats.rs, `chart_table`).
          await page.waitForFunction(() =>
            [...document.querySelectorAll("details.chart-table")].every((d) => d.querySelector("table")),
          );
          await scan("stats tables");
        }
      }
      await screenshot(page, `i18n-coverage-${lang}`, { fullPage: false });
      assert.equal(found.size, 0, `English on the ${lang} page:\n${report()}`);
      assertClean(assert, session);
    } finally {
      await session.close();
    }
  });
}

// What the worker says: open errors, the notes on what could not be read, query mistakes.
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const ACTOR = "https://example.social/users/ana";
const item = (n, object) => ({
  id: `${ACTOR}/statuses/${n}/activity`, type: "Create", actor: ACTOR, published: "2023-05-01T10:00:00Z",
  to: [PUBLIC], object: { id: `${ACTOR}/statuses/${n}`, type: "Note", to: [PUBLIC], content: "<p>x</p>", ...object },
});
const BROKEN = JSON.stringify({
  totalItems: 40,
  orderedItems: [
    item(1, { published: "2023-02-30T10:00:00Z",
      attachment: [{ type: "Document", mediaType: "image/png", url: "/media_attachments/files/1/original/gone.png" }] }),
    { type: "Like", actor: ACTOR, object: "https://other.example/notes/1" },
    { type: "Create", actor: ACTOR },
    { no: "type" },
    { type: "Announce", actor: ACTOR },
    item(2, {}),
  ],
});
const encode = (text) => new TextEncoder().encode(text);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

for (const [lang, locale] of [["de", "de-DE"], ["ja", "ja-JP"]]) {
  test(`${lang}: no English word of the catalogue in what the worker says`, async () => {
    const english = englishWords(lang);
    const session = await open({ locale });
    const { page, app } = session;
    const { scan, found, report } = scanner(page, english);
    const error = async (name, bytes, where) => {
      const before = await page.getByTestId("error").textContent().catch(() => "");
      await app.drop({ name, bytes });
      await page.waitForFunction((b) => {
        const t = document.querySelector("[data-testid=error]")?.textContent;
        return t && t !== b;
      }, before);
      await scan(where);
    };
    try {
      await error("cat.png", PNG, "not an archive");
      await error("notes.txt", encode("just some notes\n"), "a text file");
      await error("outbox.json", encode('{"x":1}'), "no orderedItems");
      await error("outbox.json", encode('{"orderedItems":[{"type":"Like"}]}'), "no posts");
      await error("outbox.json", encode('{"orderedItems":['), "cut off");
      await app.drop({ name: "outbox.json", bytes: encode(BROKEN) }, { name: "extra.csv", bytes: encode("a,b\n1,2\n") });
      await app.opened();
      await page.getByTestId("search").fill("hass:media on:13-45 likes:lots lang:e_ hour:25 after:2023-13 visibility:friends is:bost x");
      await page.locator("[data-testid=query-errors] li").first().waitFor();
      await scan("query mistakes");
      await page.getByTestId("search").fill("");
      await page.getByTestId("tab-summary").click();
      await page.getByTestId("diagnostics").locator("summary").click();
      await page.locator(".diagnostic-group li").first().waitFor();
      await scan("summary notes");
      await screenshot(page, `i18n-coverage-messages-${lang}`, { fullPage: true });
      assert.equal(found.size, 0, `English on the ${lang} page:\n${report()}`);
      assertClean(assert, session);
    } finally {
      await session.close();
    }
  });
}
