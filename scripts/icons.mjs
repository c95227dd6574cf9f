// Draws the PNG icons of the web app manifest (assets/icons/*.png) from their SVGs with headless
// Chromium: `node scripts/icons.mjs` after changing an SVG. The PNGs are committed.
import { readFileSync } from "node:fs";
import { chromium } from "../tools/node_modules/playwright-core/index.mjs";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu"] });
const page = await browser.newPage({ deviceScaleFactor: 1 });
const dir = new URL("../assets/icons/", import.meta.url).pathname;
for (const [svg, size, out] of [["icon.svg",192,"icon-192.png"],["icon.svg",512,"icon-512.png"],["maskable.svg",512,"maskable-512.png"]]) {
  await page.setViewportSize({ width: size, height: size });
  const data = "data:image/svg+xml;base64," + readFileSync(dir + svg).toString("base64");
  await page.setContent(`<style>html,body{margin:0;background:transparent}</style><img src="${data}" width=${size} height=${size}>`);
  await page.locator("img").screenshot({ path: dir + out, omitBackground: true });
}
await browser.close();
