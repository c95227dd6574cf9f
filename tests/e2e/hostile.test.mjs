// A hostile archive, built here: script tags, event attributes, javascript: links and remote
// images in post content, content warnings, names, profile fields, alt text, poll options and
// hashtags, and a "media" file that is really HTML. Opening and reading it must run nothing,
// fetch nothing, and show the text as text.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertClean, open, screenshot } from "./harness.mjs";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const ACTOR = "https://evil.example/users/mallory";
const xss = (n) =>
  `<script>window.__pwned=${n}</script><img src=x onerror="window.__pwned=${n}">` +
  `<a href="javascript:window.__pwned=${n}">js-link-${n}</a>` +
  `<svg onload="window.__pwned=${n}"></svg><iframe src="javascript:window.__pwned=${n}"></iframe>` +
  `<style>body{display:none}</style><img src="https://evil.example/track-${n}.png">`;

function note(n, object) {
  return {
    id: `${ACTOR}/statuses/${n}/activity`,
    type: "Create",
    actor: ACTOR,
    published: "2023-05-0" + n + "T10:00:00Z",
    to: [PUBLIC],
    object: {
      id: `${ACTOR}/statuses/${n}`,
      type: "Note",
      published: "2023-05-0" + n + "T10:00:00Z",
      to: [PUBLIC],
      url: `javascript:window.__pwned=${n}00`,
      ...object,
    },
  };
}

const outbox = {
  "@context": "https://www.w3.org/ns/activitystreams",
  type: "OrderedCollection",
  orderedItems: [
    note(1, {
      content: `<p onclick="window.__pwned=1">Hello ${xss(1)} <a href="https://ok.example/" onmouseover="window.__pwned=1">fine</a></p>`,
      summary: `<b onmouseover="window.__pwned=2">cw</b> ${xss(2)}`,
      sensitive: true,
      tag: [
        { type: "Hashtag", name: "#<script>window.__pwned=3</script>", href: "javascript:window.__pwned=3" },
        { type: "Mention", name: "@x<img src=x onerror=window.__pwned=4>", href: "javascript:window.__pwned=4" },
      ],
      attachment: [
        {
          type: "Document",
          mediaType: "text/html",
          url: "/media_attachments/files/1/original/evil.png",
          name: `alt ${xss(5)}`,
        },
      ],
    }),
    {
      ...note(2, {}),
      object: {
        id: `${ACTOR}/statuses/2`,
        type: "Question",
        published: "2023-05-02T10:00:00Z",
        to: [PUBLIC],
        content: `<p>Poll ${xss(6)}</p>`,
        oneOf: [
          { type: "Note", name: `<script>window.__pwned=7</script>`, replies: { type: "Collection", totalItems: 3 } },
          { type: "Note", name: `<img src=x onerror="window.__pwned=8">`, replies: { type: "Collection", totalItems: 1 } },
        ],
      },
    },
    note(3, { content: `<p><a href="javascript:window.__pwned=9" class="mention">@<span>bob</span></a> ${xss(9)}</p>` }),
  ],
};

const actor = {
  id: ACTOR,
  type: "Person",
  preferredUsername: "mallory<script>window.__pwned=10</script>",
  name: `<script>window.__pwned=11</script><img src=x onerror="window.__pwned=11">Mallory`,
  summary: `<p>${xss(12)}</p>`,
  url: "javascript:window.__pwned=13",
  published: "2022-01-01T00:00:00Z",
  icon: { type: "Image", mediaType: "image/png", url: "https://evil.example/avatar.png" },
  image: { type: "Image", mediaType: "text/html", url: "javascript:window.__pwned=14" },
  attachment: [
    { type: "PropertyValue", name: `<img src=x onerror="window.__pwned=15">`, value: `<a href="javascript:window.__pwned=16">field</a>${xss(16)}` },
  ],
};

const encode = (o) => new TextEncoder().encode(JSON.stringify(o));
const evilMedia = new TextEncoder().encode(`<html><script>parent.__pwned=17</script></html>`);

let session;
const dialogs = [];
before(async () => {
  session = await open();
  session.page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await session.page.evaluate(() => {
    window.__scripts = document.scripts.length;
  });
  await session.app.drop(
    { name: "outbox.json", bytes: encode(outbox) },
    { name: "actor.json", bytes: encode(actor) },
    { name: "evil.png", bytes: evilMedia },
  );
  await session.app.opened();
  await session.page.getByTestId("post").first().waitFor();
});
after(async () => {
  await session?.close();
});

test("the hostile text is shown as text", async () => {
  const { page } = session;
  const main = await page.locator("main").innerText();
  assert.match(main, /<script>window\.__pwned=11<\/script>/, "the display name, as written");
  assert.match(main, /js-link-12/, "the bio's javascript: link text stays, as text");
  // Open everything there is to open.
  for (const button of await page.getByTestId("cw-toggle").all()) await button.click();
  for (const button of await page.locator(".reveal").all()) await button.click();
  for (const summary of await page.locator(".raw-json summary").all()) await summary.click();
  await page.locator(".raw-json pre", { hasText: "__pwned" }).first().waitFor();
  assert.match(await page.getByTestId("poll").first().innerText(), /<script>window\.__pwned=7<\/script>/);
  await screenshot(page, "hostile", { fullPage: true });
});

test("its links and media do nothing", async () => {
  const { page } = session;
  // Every link is http(s), mailto or the app's own hash.
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")));
  for (const href of hrefs) assert.match(href, /^(https?:|mailto:|#)/, href);
  // Click whatever looks like the hostile links: they are text now.
  for (const text of ["js-link-1", "js-link-9", "js-link-12", "js-link-16", "field"]) {
    const el = page.getByText(text, { exact: false }).first();
    if (await el.count()) await el.click({ force: true, noWaitAfter: true, modifiers: [] }).catch(() => {});
  }
  // The "image" that is really HTML comes as a Blob with an image type (checked in
  // tests/worker.rs): it does not decode, so nothing of it is drawn (or run), and the post says
  // it could not be shown.
  await page.locator(".media .media-missing", { hasText: "Could not be shown" }).first().waitFor();
  assert.equal(await page.getByTestId("media-image").count(), 1);
  assert.equal(await page.locator("[data-testid=media-image][data-drawn]").count(), 0);
});

test("nothing ran, nothing was injected", async () => {
  const { page } = session;
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(dialogs, []);
  assert.equal(await page.evaluate(() => document.scripts.length - window.__scripts), 0, "no new <script>");
  const injected = await page.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll("main *")) {
      if (["SCRIPT", "IFRAME", "OBJECT", "EMBED", "STYLE", "svg", "FORM"].includes(el.tagName)) found.push(el.tagName);
      for (const attr of el.attributes) {
        if (attr.name.startsWith("on")) found.push(`${el.tagName}[${attr.name}]`);
        if (/^\s*javascript:/i.test(attr.value)) found.push(`${el.tagName}[${attr.name}=${attr.value}]`);
      }
    }
    return found;
  });
  assert.deepEqual(injected, []);
});

test("no request left the page (the remote avatar was not fetched), no console errors", () => {
  assert.ok(!session.requests.some((u) => u.includes("evil.example")), "nothing asked of evil.example");
  assertClean(assert, session);
});

test("the page's Content-Security-Policy binds the worker too", async () => {
  const { page } = session;
  const [worker] = page.workers();
  assert.ok(worker, "the worker runs");
  const outcome = await worker.evaluate(async () => {
    const violations = [];
    self.addEventListener("securitypolicyviolation", (e) => violations.push(e.effectiveDirective));
    let fetched;
    try {
      await fetch("https://csp-probe.example/x");
      fetched = "fetched";
    } catch {
      fetched = "refused";
    }
    await new Promise((r) => setTimeout(r, 100));
    return { fetched, violations, eval: (() => { try { return new Function("return 1")(); } catch { return "refused"; } })() };
  });
  // Refused by the policy itself: a violation of connect-src, and no request reached the network
  // (the harness logs every request that leaves the page).
  assert.deepEqual(outcome, { fetched: "refused", violations: ["connect-src"], eval: "refused" });
  assert.ok(!session.requests.some((u) => u.includes("csp-probe.example")), "the probe never left the page");
});
