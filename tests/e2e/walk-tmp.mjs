// Temporary walk-through (not committed): a real archive the tests do not use.
import { readFileSync } from "node:fs";
import { open, screenshot } from "./harness.mjs";
const D = "/work/shared/fixtures/real/dealingwith-masto-archive";
const F = (n) => ({ name: n, bytes: readFileSync(`${D}/${n}`) });
const s = await open({ width: 1280, height: 900 });
const { page, app } = s;
const shot = async (n) => { await page.screenshot({ path: `/tmp/walk/${n}.png` }); console.log("shot", n); };
await app.drop(F("outbox.json"), F("actor.json"), F("likes.json"), F("bookmarks.json"));
await app.opened();
await page.waitForTimeout(800);
console.log("count:", await page.getByTestId("count").textContent());
// Threads: collapse, by keyboard
await page.getByTestId("collapse-threads").focus();
await page.keyboard.press("Space");
await page.waitForTimeout(800);
console.log("collapsed:", await page.getByTestId("count").textContent(), await page.evaluate(() => location.hash));
await shot("collapsed-1280");
// open a thread that starts elsewhere: search for it
await page.getByTestId("search").fill("is:thread is:reply -is:self-reply");
await page.waitForTimeout(800);
console.log("elsewhere roots:", await page.getByTestId("count").textContent());
const link = page.getByTestId("open-thread").first();
console.log("link:", await link.textContent());
await link.focus();
await page.keyboard.press("Enter");
await page.waitForTimeout(1000);
console.log("thread:", await page.getByTestId("count").textContent(), await page.evaluate(() => location.hash));
console.log("note:", await page.getByTestId("thread-note").textContent());
await shot("thread-1280");
await page.setViewportSize({ width: 360, height: 800 });
await page.waitForTimeout(400);
await shot("thread-360");
await page.goBack();
await page.waitForTimeout(600);
console.log("back:", await page.evaluate(() => location.hash));
await page.setViewportSize({ width: 1280, height: 900 });
// People: no CSV
await page.getByTestId("tab-people").click();
await page.waitForTimeout(600);
await shot("people-none-1280");
console.log("people:", await page.getByTestId("people").textContent());
// add a real following export (another account's) by drop
const csv = readFileSync("/work/shared/fixtures/real/todb-junkdrawer/following_accounts.csv");
await app.dropOnPage({ name: "following_accounts.csv", bytes: csv });
await page.waitForTimeout(1200);
console.log("added:", await page.getByTestId("people-added").textContent());
console.log("count:", await page.getByTestId("people-count").textContent());
await shot("people-added-1280");
await page.setViewportSize({ width: 360, height: 800 });
await page.waitForTimeout(400);
await shot("people-added-360");
// keyboard: Tab into the table buttons
await page.getByTestId("people-filter").focus();
await page.keyboard.type("infosec");
await page.waitForTimeout(600);
console.log("filtered:", await page.getByTestId("people-count").textContent());
await page.setViewportSize({ width: 1280, height: 900 });
// Media tab
await page.getByTestId("tab-media").click();
await page.waitForTimeout(1500);
await shot("media-1280");
await page.setViewportSize({ width: 360, height: 800 });
await page.waitForTimeout(600);
await shot("media-360");
// Then another archive: state must not leak
await page.setViewportSize({ width: 1280, height: 900 });
await app.dropOnPage({ name: "mastodon-export.zip", bytes: readFileSync("/work/shared/fixtures/real/lmorchard-fossilizer/mastodon-export.zip") });
await page.waitForTimeout(2500);
console.log("next archive:", await page.evaluate(() => location.hash), await page.getByTestId("count").textContent().catch(() => "-"));
await shot("next-1280");
console.log("foreign:", s.foreign, "errors:", s.errors);
await s.close();
