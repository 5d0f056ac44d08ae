// Service worker for the portal, served at /sw.js so that it controls every
// page. The build writes this file to /sw.js after replacing the comment
// PORTAL_CORE_ASSETS in the CORE array with the JSON-quoted, comma-separated
// URLs of the core assets (the fingerprinted stylesheets and scripts, the
// manifest and its icons). A new deploy changes those URLs, so the file
// changes and browsers install the new worker.
//
// Pages (navigations): network first. When the network answers, that answer
// is shown (never a stale page while online) and a copy is kept with the time
// it was fetched. Only when the network fails is the kept copy served, marked
// with data-offline-copy="<time>" on <html> and an X-Offline-Copy header;
// sw-register.js then shows the "offline copy from <date>" notice.
// Assets under /assets/ never change (their names carry a hash): cache first.
//
// Search: /search/<lang>/manifest.json names the current index files, so it
// is revalidated at every use (max-age=0): network first, with the kept
// copy only when the network fails. The chunk and fragment files it names
// are immutable (hashed names, cached for a year by netlify.toml), so the
// browser's own HTTP cache serves them offline; the worker does not handle
// them, which would cost every query a trip through the worker and its
// cache (about 30 ms on the bench, bench/search.sh), and where the browser
// allows, it routes them past itself (see install). Offline, a query whose
// files were fetched before answers; results whose fragments were never
// fetched show their titles without excerpts (search.js).
"use strict";

const CORE = [/* PORTAL_CORE_ASSETS */];
const ASSETS = "portal-assets-v1";
const PAGES = "portal-pages-v1";
const SEARCH = "portal-search-v1";
const MAX_PAGES = 150;
const MAX_ASSETS = 60;
const SEARCH_MANIFEST = /^\/search\/[a-z]{2,3}(-[A-Za-z0-9]+)*\/manifest\.json$/;
const STAMP = "X-Offline-Copy";

self.addEventListener("install", (event) => {
  // Static routing (InstallEvent.addRoutes, Chromium 123 and later): the
  // immutable search files go straight to the network and the HTTP cache
  // without waking this worker. The fetch handler below leaves them
  // alone too, but the browser still sends every request through the
  // worker first: on the bench that trip made the fragment round trip of
  // a cold query about 24 ms instead of 15 (bench/search/probe.mjs, the
  // site's worker against this one, --client NAME=/sw.js=FILE).
  if (event.addRoutes && typeof URLPattern === "function") {
    event.waitUntil(event.addRoutes(["/search/t/*", "/search/f/*"].map((pathname) => ({
      condition: { urlPattern: new URLPattern({ pathname }) },
      source: "network",
    }))).catch(() => {}));
  }
  event.waitUntil(
    caches.open(ASSETS)
      .then((c) => c.addAll(CORE))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== ASSETS && k !== PAGES && k !== SEARCH).map((k) => caches.delete(k))))
      .then(() => trim(ASSETS, MAX_ASSETS, CORE))
      .then(() => self.clients.claim())
      .then(keepOpenPages)
  );
});

// keepOpenPages keeps the pages that were open when the worker started: the
// first page a person reads is loaded before any worker controls it.
async function keepOpenPages() {
  const wins = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  await Promise.all(wins.map(async (w) => {
    const url = new URL(w.url);
    if (url.origin !== self.location.origin) return;
    try {
      const res = await fetch(url.href, { credentials: "same-origin" });
      if (res.ok && (res.headers.get("Content-Type") || "").startsWith("text/html")) await keep(new Request(url.href), res);
    } catch (err) {
      // Offline already: nothing to keep.
    }
  }));
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === "navigate") {
    event.respondWith(page(event, req));
  } else if (url.pathname.startsWith("/assets/") || CORE.includes(url.pathname)) {
    event.respondWith(asset(req));
  } else if (SEARCH_MANIFEST.test(url.pathname)) {
    event.respondWith(searchManifest(event, req));
  }
  // Everything else (search chunks and fragments, feeds, functions) goes to the network and the HTTP cache as usual.
});

async function page(event, req) {
  try {
    const res = await fetch(req);
    if (res.ok && res.type === "basic" && (res.headers.get("Content-Type") || "").startsWith("text/html")) {
      event.waitUntil(keep(req, res.clone()));
    }
    return res;
  } catch (err) {
    const cache = await caches.open(PAGES);
    const hit = await cache.match(req, { ignoreSearch: true, ignoreVary: true });
    if (!hit) throw err;
    return offline(hit);
  }
}

// keep stores a page with the time it was fetched.
async function keep(req, res) {
  const body = await res.arrayBuffer();
  const headers = new Headers(res.headers);
  headers.set(STAMP, new Date().toISOString());
  const cache = await caches.open(PAGES);
  const key = new URL(req.url);
  key.search = "";
  key.hash = "";
  await cache.delete(key.href);
  await cache.put(key.href, new Response(body, { status: res.status, statusText: res.statusText, headers }));
  await trim(PAGES, MAX_PAGES, []);
}

// offline marks a kept page so that the page can say it is an offline copy.
async function offline(hit) {
  const when = hit.headers.get(STAMP) || "";
  let html = await hit.text();
  const attr = ' data-offline-copy="' + when.replace(/[^0-9A-Za-z:.\-]/g, "") + '"';
  html = html.replace(/<html(\s|>)/i, (m, c) => "<html" + attr + c);
  const headers = new Headers(hit.headers);
  headers.delete("Content-Length");
  return new Response(html, { status: 200, headers });
}

async function asset(req) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok && res.type === "basic") await cache.put(req, res.clone());
  return res;
}

// searchManifest asks the network first (the manifest names the current
// index), and falls back on the kept copy when the network fails.
async function searchManifest(event, req) {
  const cache = await caches.open(SEARCH);
  try {
    const res = await fetch(req);
    if (res.ok && res.type === "basic") {
      event.waitUntil(cache.put(req, res.clone()));
    }
    return res;
  } catch (err) {
    const hit = await cache.match(req);
    if (!hit) throw err;
    return hit;
  }
}

// trim deletes the oldest entries of a cache beyond max, sparing those in keep.
async function trim(name, max, spare) {
  const cache = await caches.open(name);
  const keys = await cache.keys();
  let extra = keys.length - max;
  for (const k of keys) {
    if (extra <= 0) break;
    if (spare.includes(new URL(k.url).pathname)) continue;
    await cache.delete(k);
    extra--;
  }
}
