// The engine's and the worker's messages in the user's language (issue 13): a query mistake with
// its "did you mean", an open error (a file that is not an archive, an outbox.json that is not
// one) and the Summary's notes on what could not be read, in German and French. The worker sends
// a code and its arguments; the page says it from its catalogue, with the arguments (the query
// term, the file name) as text.

import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClean, open, screenshot } from "./harness.mjs";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const ACTOR = "https://example.social/users/ana";
const post = (n, object = {}) => ({
  id: `${ACTOR}/statuses/${n}/activity`,
  type: "Create",
  actor: ACTOR,
  published: `2023-05-0${n}T10:00:00Z`,
  to: [PUBLIC],
  object: {
    id: `${ACTOR}/statuses/${n}`,
    type: "Note",
    published: `2023-05-0${n}T10:00:00Z`,
    to: [PUBLIC],
    content: `<p>post ${n}</p>`,
    ...object,
  },
});
// A post whose picture is not in the archive, an item that is not a post, one that is no
// activity at all.
const OUTBOX = JSON.stringify({
  type: "OrderedCollection",
  orderedItems: [
    post(1, {
      attachment: [{ type: "Document", mediaType: "image/png", url: "/media_attachments/files/1/original/gone.png" }],
    }),
    { type: "Like", actor: ACTOR, object: "https://other.example/notes/1" },
    post(2),
  ],
});
const bytes = (text) => new TextEncoder().encode(text);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

const LANGS = {
  de: {
    locale: "de-DE",
    query: "unbekannter Filter `hass:` (meinten Sie `has:media`?)",
    png: "dies ist kein Mastodon-Archiv, sondern ein PNG-Bild: wählen Sie die .zip- oder .tar.gz-Datei",
    noItems: "outbox.json (Byte 0): diese Datei enthält keine \"orderedItems\"-Liste: sie ist keine Mastodon-Outbox",
    missing: "Anhang 1: auf /media_attachments/files/1/original/gone.png wird verwiesen, die Datei ist aber nicht im Archiv",
    unsupported: "outbox.json Eintrag 2 (Byte",
    unsupportedWhy: "nicht unterstützter Aktivitätstyp \"Like\": nur Create und Announce sind Beiträge",
    onlyCsv: "nur CSV-Dateien angegeben (following_accounts.csv): sie gehören zu einem Archiv",
  },
  fr: {
    locale: "fr-FR",
    query: "filtre inconnu `hass:` (vouliez-vous dire `has:media` ?)",
    png: "ce n’est pas une archive Mastodon mais une image PNG : choisissez le fichier .zip ou .tar.gz",
    noItems: "outbox.json (octet 0) : ce fichier n’a pas de liste \"orderedItems\" : ce n’est pas une boîte d’envoi Mastodon",
    missing: "pièce jointe 1: /media_attachments/files/1/original/gone.png est référencé mais absent de l’archive",
    unsupported: "outbox.json élément 2 (octet",
    unsupportedWhy: "type d’activité non pris en charge \"Like\" : seuls Create et Announce sont des messages",
    onlyCsv: "seuls des fichiers CSV ont été donnés (following_accounts.csv) : ils vont avec une archive",
  },
};

for (const [lang, want] of Object.entries(LANGS)) {
  test(`${lang}: open errors, notes and query mistakes in the language`, async () => {
    const session = await open({ locale: want.locale });
    const { page, app } = session;
    try {
      // A file that is not an archive.
      await app.drop({ name: "cat.png", bytes: PNG });
      const error = page.getByTestId("error");
      await error.waitFor();
      assert.ok((await error.textContent()).includes(want.png), await error.textContent());
      // An outbox.json that is not one.
      await app.drop({ name: "outbox.json", bytes: bytes('{"x":1}') });
      await page.waitForFunction((t) => document.querySelector("[data-testid=error]")?.textContent.includes(t), want.noItems);
      await screenshot(page, `messages-open-${lang}`, { fullPage: false });
      // A CSV export without its archive: where it goes.
      await app.drop({ name: "following_accounts.csv", bytes: bytes("Account address,Show boosts\nbob@b.example,true\n") });
      await page.waitForFunction((t) => document.querySelector("[data-testid=error]")?.textContent.includes(t), want.onlyCsv);

      // An archive with notes: the Summary says them in the language.
      await app.drop({ name: "outbox.json", bytes: bytes(OUTBOX) });
      await app.opened();
      await page.getByTestId("tab-summary").click();
      const notes = page.getByTestId("diagnostics");
      await notes.locator("summary").click();
      const missing = notes.locator(".diagnostic-group[data-kind=missing_media] li").first();
      await missing.waitFor();
      const missingText = (await missing.textContent()).replace(/\s+/g, " ");
      assert.ok(missingText.includes(want.missing), missingText);
      // The URL is the archive's: set apart as text, not words of the page.
      assert.ok((await missing.locator("bdi").allTextContents()).includes("/media_attachments/files/1/original/gone.png"));
      const unsupported = (await notes.locator(".diagnostic-group[data-kind=unsupported_item] li").first().textContent()).replace(/\s+/g, " ");
      assert.ok(unsupported.includes(want.unsupported) && unsupported.includes(want.unsupportedWhy), unsupported);
      await screenshot(page, `messages-notes-${lang}`, { fullPage: false });

      // A query mistake, with its suggestion.
      await page.getByTestId("tab-posts").click();
      await page.getByTestId("search").fill("hass:media post");
      const line = page.locator("[data-testid=query-errors] li").first();
      await line.waitFor();
      assert.equal(await line.textContent(), want.query);
      assert.deepEqual(await line.locator("bdi").allTextContents(), ["hass", "has:media"]);
      assertClean(assert, session);
    } finally {
      await session.close();
    }
  });
}
