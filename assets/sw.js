// Permafrost's service worker: the app's own files, kept so that the page opens with the network
// off. It never sees archive data: archives are read from File and Blob objects and shown through
// blob: URLs, which never reach a service worker, and it answers only the exact same-origin URLs
// listed below. It asks for nothing but those files, once, when a version installs.
//
// One version, one cache: a version installs into the cache named by its hash (every file checked
// against the hash it was built with, so a server half-way through an update cannot mix two
// versions) and waits while an older version still serves open pages. The page shows "a new
// version is ready" (src/offline.rs); its Reload button sends "skip-waiting", the new version
// takes over, the page reloads from it, and the old caches are deleted.

// Written by scripts/precache.mjs (Trunk's post_build hook) from what is really in dist/: every
// file but this one, with its SHA-256 (Subresource Integrity form), and the hash of them all.
const VERSION = "unbuilt";
const FILES = {};

const CACHE = `permafrost-${VERSION}`;
const SCOPE = new URL(self.registration.scope);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        Object.entries(FILES).map(([path, integrity]) =>
          // `reload`: past the HTTP cache, which could hold the previous version's file.
          fetch(new Request(path, { cache: "reload", integrity })).then((response) => {
            if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
            return cache.put(new URL(path, SCOPE), response);
          }),
        ),
      ).catch((error) => caches.delete(CACHE).then(() => Promise.reject(error))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n.startsWith("permafrost-") && n !== CACHE).map((n) => caches.delete(n)),
        ),
      ),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  let path = url.pathname.slice(SCOPE.pathname.length);
  // The page itself: its address may carry a query (the app's state is in the hash, which a
  // request never has).
  if (request.mode === "navigate" && path === "") path = "index.html";
  else if (url.search !== "") return;
  if (!Object.hasOwn(FILES, path)) return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(new URL(path, SCOPE)))
      // Only when the cache was emptied under it (the user cleared part of the site's data).
      .then((response) => response ?? fetch(request))
      .then((response) => (request.mode === "navigate" ? isolated(response) : response)),
  );
});

// The page as served with the cross-origin isolation headers, whatever the host sent: isolated,
// the page may share memory with its worker, which hands it a search's answer within the frame
// of the key (crates/protocol/src/handoff.rs). Every file the page loads is its own, so the
// embedder policy blocks nothing it uses; a host that sends the headers itself gets the same.
function isolated(response) {
  if (response.status !== 200) return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
