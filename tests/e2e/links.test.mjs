// Links tell the truth (and a post cannot widen the page): an archive whose links try to lie about where they go (the red team's
// cases: a backslash before `@`, upper-case schemes, look-alike text, bidi overrides, homograph
// hosts), in post text, a post's own URL, `inReplyTo`, a boost's object, the profile's URL and a
// profile field. For every link the page shows, the label beside it must be the host the browser
// really opens, and a click must open exactly that URL.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertClean, open, screenshot } from "./harness.mjs";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const ACTOR = "https://home.example/users/ann";

// [href, link text, the label the page must show (null: none, the text is the URL)]
const CASES = [
  [String.raw`https://127.0.0.1:8199\@good.example/x`, "Documentation", "127.0.0.1:8199"],
  ["HTTPS://Upper.Example/A", "docs", "upper.example"],
  ["https://pal.com/", "https://paypal.com/", "pal.com"],
  ["https://evil.example/", "notevil.example", "evil.example"],
  ["https://google.com/", "\u202Ekcilc", "google.com"],
  ["https://g\u043E\u043Egle.com/", "google", "xn--ggle-55da.com"],
  ["https://m\u00FCnchen.de/", "Stadt", "m\u00FCnchen.de"],
  ["https://plain.example/page", "https://plain.example/page", null],
];

const anchor = ([href, text]) => `<a href="${href.replace(/"/g, "&quot;")}">${text}</a>`;

function note(n, object) {
  const day = String(n).padStart(2, "0");
  return {
    id: `${ACTOR}/statuses/${n}/activity`,
    type: "Create",
    actor: ACTOR,
    published: `2023-05-${day}T10:00:00Z`,
    to: [PUBLIC],
    object: {
      id: `${ACTOR}/statuses/${n}`,
      type: "Note",
      published: `2023-05-${day}T10:00:00Z`,
      to: [PUBLIC],
      content: "<p>post</p>",
      ...object,
    },
  };
}

const outbox = {
  type: "OrderedCollection",
  orderedItems: [
    note(1, { content: `<p>Links: ${CASES.map(anchor).join(" · ")}</p>` }),
    // The post's own page is a backslash spoof.
    note(2, { url: String.raw`https://127.0.0.2:8199\@own.example/p`, content: "<p>own page</p>" }),
    // A reply to a post elsewhere, written with backslashes.
    note(3, { inReplyTo: String.raw`http:\\reply.example\path`, content: "<p>a reply</p>" }),
    {
      id: `${ACTOR}/statuses/4/activity`,
      type: "Announce",
      actor: ACTOR,
      published: "2023-05-04T10:00:00Z",
      to: [PUBLIC],
      object: String.raw`https://127.0.0.3\@boost.example/b`,
    },
    // 10,000 nested quotes (the red team's page-widener).
    note(5, { content: `${"<blockquote>".repeat(10_000)}<p>deep text</p>${"</blockquote>".repeat(10_000)}` }),
  ],
};

const actor = {
  id: ACTOR,
  type: "Person",
  preferredUsername: "ann",
  name: "Ann",
  url: String.raw`https://127.0.0.4\@profile.example/@ann`,
  attachment: [{ type: "PropertyValue", name: "Site", value: anchor(["https://аррӏе.com/", "apple.com"]) }],
};

const encode = (o) => new TextEncoder().encode(JSON.stringify(o));

let session;
before(async () => {
  session = await open();
  await session.app.drop({ name: "outbox.json", bytes: encode(outbox) }, { name: "actor.json", bytes: encode(actor) });
  await session.app.opened();
  await session.page.getByTestId("post").first().waitFor();
  // The rows below the first screen are mounted a moment after the first ones (ui/timeline.rs).
  await session.page.locator("a.external", { hasText: "Documentation" }).waitFor();
  await session.page.waitForTimeout(300);
});
after(async () => {
  await session?.close();
});

/** Every external link on the page: its href, its text and its label. */
const links = (page) =>
  page.$$eval("a.external", (as) =>
    as.map((a) => ({
      href: a.getAttribute("href"),
      text: a.querySelector(":scope > bdi")?.textContent ?? null,
      label: a.querySelector(".domain bdi")?.textContent ?? null,
    })),
  );

test("each label in post text is the host the click opens", async () => {
  const { page } = session;
  const shown = await links(page);
  for (const [href, text, label] of CASES) {
    const link = shown.find((l) => l.text === text);
    assert.ok(link, `a link with the text ${JSON.stringify(text)}`);
    assert.equal(link.label, label, `label of ${href}`);
    assert.equal(link.href, new URL(href).href, `${href} opens what the browser makes of it`);
  }
  await screenshot(page, "links", { fullPage: true });
});

test("every label on the page names the host the browser will open", async () => {
  const { page } = session;
  // Post text (7), own page, reply, boost, profile page and field. The rows below the first
  // screen are mounted a moment after it: on a busy machine, after the test before had looked.
  const count = () => page.$$eval("a.external .domain bdi", (labels) => labels.length);
  for (let i = 0; i < 50 && (await count()) < 12; i++) await page.waitForTimeout(100);
  const shown = await links(page);
  const labelled = shown.filter((l) => l.label !== null);
  assert.ok(labelled.length >= 12, `${labelled.length} labelled links`);
  const mismatches = await page.evaluate(
    (ls) =>
      ls
        .filter((l) => {
          const opens = new URL(l.href);
          // A Unicode label is compared in the form the browser uses (punycode).
          const said = new URL(`${opens.protocol}//${l.label}`);
          return said.host !== opens.host;
        })
        .map((l) => `${l.label} → ${l.href}`),
    labelled,
  );
  assert.deepEqual(mismatches, []);
  for (const expected of ["127.0.0.2:8199", "reply.example", "127.0.0.3", "127.0.0.4", "xn--80ak6aa92e.com"]) {
    assert.ok(
      labelled.some((l) => l.label === expected),
      `a link labelled ${expected}: ${JSON.stringify(labelled.map((l) => l.label))}`,
    );
  }
});

test("a click opens exactly the labelled URL, in a new tab, and nothing else is fetched", async () => {
  const { page } = session;
  const link = page.locator("a.external", { hasText: "Documentation" });
  const [popup] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
  const opened = "https://127.0.0.1:8199/@good.example/x";
  // The harness aborts every request that leaves the app, and logs it: the click asked for
  // exactly the URL whose host the label named, and for nothing else.
  for (let i = 0; i < 50 && !session.foreign.includes(opened); i++) await page.waitForTimeout(100);
  assert.deepEqual([...new Set(session.foreign)], [opened]);
  assert.equal(await popup.evaluate(() => window.opener), null, "the new tab cannot reach the page");
  await popup.close();
  assertClean(assert, { ...session, foreign: session.foreign.filter((u) => u !== opened) });
});

test("10,000 nested quotes keep their text and do not widen the page", async () => {
  const { page } = session;
  await page.getByText("deep text").waitFor();
  const { scroll, width, depth } = await page.evaluate(() => {
    let deepest = 0;
    for (const q of document.querySelectorAll("blockquote")) {
      let d = 0;
      for (let el = q; el; el = el.parentElement?.closest("blockquote")) d++;
      deepest = Math.max(deepest, d);
    }
    return { scroll: document.documentElement.scrollWidth, width: window.innerWidth, depth: deepest };
  });
  assert.ok(scroll <= width, `page ${scroll} px wide in a ${width} px window`);
  assert.ok(depth <= 4, `${depth} levels of quotes drawn`);
});
