// The bench's static server: serves a built site on 127.0.0.1, gzips text
// and keeps files in memory like a CDN, and logs every response ({path, bytes, status}; bytes as
// sent on the wire). Every file goes out with "Cache-Control: no-cache"
// (each fetch reaches the server), the way this bench's numbers have
// always been taken. /__pf/<lang>.html and /__pf/bench.js are the
// Pagefind bench page.
//
// Run as a child process (common.mjs startServer forks it), so that its
// responses do not wait for the Playwright/CDP driver's event loop:
//
//   node bench/search/server.mjs SITE [PATH=FILE]...
//
// Each PATH=FILE serves FILE in place of the site's PATH, to compare
// versions of a file in one run; PATH "search.js" stands for the site's
// /assets/search.<hash>.js (the search client).
//
// It listens on a free port, sends {port} to its parent, and answers the
// parent's {take: id} with {id, log}: the responses logged since the last
// take.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.mjs': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.xml': 'application/xml', '.txt': 'text/plain', '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm', '.png': 'image/png', '.jpg': 'image/jpeg', '.woff2': 'font/woff2',
};
// Types a CDN compresses; Pagefind's .pagefind/.pf_* files are gzip already.
const COMPRESS = /^(text\/|application\/(json|javascript|xml|manifest\+json|wasm)|image\/svg)/;

const PF_PAGE = (lang) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>Pagefind bench</title>
<script type="module" src="/__pf/bench.js"></script></head>
<body><input id="q" type="search"><ol id="r"></ol></body></html>`;
const PF_SCRIPT = `
window.pfReady = import('/pagefind/pagefind.js').then((pf) => { window.pf = pf; });
window.pfRun = async (q) => {
  const t0 = performance.now();
  const s = await window.pf.search(q);
  const data = await Promise.all(s.results.slice(0, 5).map((r) => r.data()));
  const ol = document.getElementById('r');
  ol.textContent = '';
  for (const d of data) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = d.url;
    a.textContent = d.meta.title;
    const p = document.createElement('p');
    p.innerHTML = d.excerpt;
    li.append(a, p);
    ol.append(li);
  }
  const ms = performance.now() - t0;
  return { ms, titlesMs: ms, total: s.results.length, shown: data.length };
};`;

// createServer returns an http.Server for site (not listening yet); each
// response is pushed to server.log. overrides maps a path of the site
// (or "search.js", the hashed search client) to a file served in its
// place.
export function createServer(site, overrides = {}) {
  const SITE = path.resolve(site);
  const swap = new Map(Object.entries(overrides).map(([p, f]) => [p, fs.readFileSync(f)]));
  const swapped = (p) => swap.get(/^\/assets\/search\.[0-9a-f]+\.js$/.test(p) ? 'search.js' : p);
  // Like a CDN's edge, the server keeps what it has served in memory
  // (the site does not change during a run): a repeated request neither
  // reads the disk nor compresses again, so that the server, which
  // shares this machine's cores with the browser, takes as little of
  // them as it can.
  const files = new Map();
  const gzCache = new Map();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let p = decodeURIComponent(url.pathname);
    let body, type;
    const pf = p.match(/^\/__pf\/([a-z]+)\.html$/);
    if (pf) {
      body = Buffer.from(PF_PAGE(pf[1]));
      type = TYPES['.html'];
    } else if (p === '/__pf/bench.js') {
      body = Buffer.from(PF_SCRIPT);
      type = TYPES['.js'];
    } else if (swapped(p)) {
      body = swapped(p);
      type = TYPES[path.extname(p)] || 'application/octet-stream';
    } else {
      if (p.endsWith('/')) p += 'index.html';
      let hit = files.get(p);
      if (!hit) {
        const file = path.join(SITE, path.normalize(p));
        let st = null;
        try { st = fs.statSync(file); } catch { /* missing: 404 below */ }
        if (!file.startsWith(SITE) || !st || st.isDirectory()) {
          res.writeHead(404);
          res.end();
          server.log.push({ path: p, bytes: 0, status: 404 });
          return;
        }
        hit = { body: fs.readFileSync(file), type: TYPES[path.extname(file)] || 'application/octet-stream' };
        files.set(p, hit);
      }
      ({ body, type } = hit);
    }
    const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache' };
    if (COMPRESS.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      const key = p + ':' + body.length;
      let gz = gzCache.get(key);
      if (!gz) {
        gz = zlib.gzipSync(body, { level: 6 });
        gzCache.set(key, gz);
      }
      body = gz;
      headers['Content-Encoding'] = 'gzip';
      headers['Vary'] = 'Accept-Encoding';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(body);
    server.log.push({ path: p, bytes: body.length, status: 200 });
  });
  server.log = [];
  return server;
}

// parseOverrides turns PATH=FILE arguments into createServer's overrides,
// or returns null if one is malformed or its file is missing.
export function parseOverrides(args) {
  const out = {};
  for (const a of args) {
    const i = a.indexOf('=');
    if (i <= 0 || !fs.existsSync(a.slice(i + 1))) return null;
    out[a.slice(0, i)] = a.slice(i + 1);
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [site, ...swaps] = process.argv.slice(2);
  const overrides = parseOverrides(swaps);
  if (!site || !fs.existsSync(site) || !overrides) {
    console.error('server.mjs: usage: node bench/search/server.mjs SITE [PATH=FILE]... (a built site directory; FILE served for PATH)');
    process.exit(2);
  }
  const server = createServer(site, overrides);
  server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    if (process.send) process.send({ port });
    else console.log(`serving ${site} on http://127.0.0.1:${port}/`);
  });
  process.on('message', (m) => {
    if (m && m.take !== undefined) {
      const log = server.log;
      server.log = [];
      process.send({ id: m.take, log });
    }
  });
  // The parent went away: stop.
  process.on('disconnect', () => process.exit(0));
}
