// Writes the service worker's list of files: every file of the built app (Trunk's staging folder,
// or the folder given) but sw.js itself, each with its SHA-256 in Subresource Integrity form, and
// a version: the hash of that list and of the service worker's own code. Run by Trunk's post_build
// hook (Trunk.toml) for `trunk build` and `trunk serve` alike; running it again on a built folder
// (`node scripts/precache.mjs dist`) writes the list anew, for a file changed after the build.

import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("usage: node scripts/precache.mjs DIR (or run as Trunk's post_build hook)");
const SW = "sw.js";

const files = readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)).split(sep).join("/"))
  .filter((path) => path !== SW)
  .sort();
if (!files.includes("index.html")) throw new Error(`${dir}: no index.html`);

const integrity = Object.fromEntries(
  files.map((path) => [path, "sha256-" + createHash("sha256").update(readFileSync(join(dir, path))).digest("base64")]),
);

const swPath = join(dir, SW);
const sw = readFileSync(swPath, "utf8");
const VERSION = /^const VERSION = .*;$/m;
const FILES = /^const FILES = .*;$/m;
if (!VERSION.test(sw) || !FILES.test(sw)) throw new Error(`${swPath}: no VERSION or FILES line to fill in`);
// The service worker's code, without the lines written here, is part of the version.
const code = sw.replace(VERSION, "").replace(FILES, "");
const version = createHash("sha256").update(JSON.stringify(integrity)).update(code).digest("hex").slice(0, 16);

writeFileSync(
  swPath,
  sw.replace(VERSION, `const VERSION = ${JSON.stringify(version)};`).replace(FILES, `const FILES = ${JSON.stringify(integrity)};`),
);
console.log(`precache: ${files.length} files, version ${version}`);
