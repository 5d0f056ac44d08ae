// What bench/search/browser.mjs and bench/search/trace.mjs share: the
// static server (gzip like a CDN, every request logged), the Pagefind
// bench page, the browser and the portal's query driver.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

// The queries: [name, language, cold query, warm query].
export const QUERIES = [
  ['it one word', 'it', 'cittadinanza', 'residenza'],
  ['it two words', 'it', 'permesso soggiorno', 'codice fiscale'],
  // Not "الجنسية": desks list citizenship among their services, and the
  // corpus's desk pages (tiny fragments) then fill the first results.
  ['ar', 'ar', 'تأشيرة', 'الضريبي'],
  ['zh', 'zh', '国籍', '税号'],
];

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

// startServer serves site on 127.0.0.1; every response is pushed to
// server.log ({path, bytes, status}). Everything is sent with
// "Cache-Control: no-cache" (each fetch goes to the server), the way the
// numbers of this bench have always been taken.
export async function startServer(site) {
  const SITE = path.resolve(site);
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
    } else {
      if (p.endsWith('/')) p += 'index.html';
      const file = path.join(SITE, path.normalize(p));
      if (!file.startsWith(SITE) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        res.writeHead(404);
        res.end();
        server.log.push({ path: p, bytes: 0, status: 404 });
        return;
      }
      body = fs.readFileSync(file);
      type = TYPES[path.extname(file)] || 'application/octet-stream';
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
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  server.base = `http://127.0.0.1:${server.address().port}`;
  return server;
}

export function launch(executablePath = '/usr/bin/chromium') {
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// newPage opens a fresh context (empty cache) on a phone viewport, with
// CPU throttling when throttle > 1; cdp is its DevTools session.
export async function newPage(browser, throttle) {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  return { ctx, page, cdp };
}

// oursQuery runs q on the portal's search page. It returns the times from
// submit to the first 5 hits in the DOM with their titles and links
// (titlesMs), to the first 5 hits complete with their section and excerpt
// (ms; a hit is complete when it no longer has the class search-pending),
// and to every hit of the first page complete (allMs). With fewer than 5
// hits, "the first 5" means all of them. The marks search-start,
// search-titles and search-top5 go into the page's performance timeline.
export function oursQuery(page, q) {
  return page.evaluate(async (q) => {
    const form = document.querySelector('main form[data-search]') || document.querySelector('form[data-search]');
    const input = form.querySelector('input[name="q"]');
    const out = document.getElementById('search-results');
    const list = out.querySelector('.search-list');
    list.textContent = '';
    const done = () => out.getAttribute('aria-busy') === 'false' && out.querySelector('.search-hit');
    let titles = 0, top5 = 0;
    performance.mark('search-start');
    const t0 = performance.now();
    input.value = q;
    form.requestSubmit();
    await new Promise((resolve, reject) => {
      const check = () => {
        const hits = out.querySelectorAll('.search-hit');
        const enough = hits.length >= 5 || done();
        if (!titles && enough) {
          titles = performance.now() - t0;
          performance.mark('search-titles');
        }
        if (titles && !top5 && ![...hits].slice(0, 5).some((h) => h.classList.contains('search-pending'))) {
          top5 = performance.now() - t0;
          performance.mark('search-top5');
        }
        if (done()) { mo.disconnect(); resolve(); }
      };
      const mo = new MutationObserver(check);
      mo.observe(out, { subtree: true, childList: true, attributes: true });
      setTimeout(() => { mo.disconnect(); reject(new Error('no results for ' + q)); }, 30000);
    });
    return { titlesMs: titles, ms: top5, allMs: performance.now() - t0, shown: out.querySelectorAll('.search-hit').length, status: out.querySelector('.search-status').textContent };
  }, q);
}

// openOurs loads the portal's search page in lang and waits settle ms.
export async function openOurs(page, base, lang, settle) {
  await page.goto(`${base}/${lang}/search/`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelector('#search-results .search-status'));
  await page.waitForTimeout(settle);
}

export const sum = (xs) => xs.reduce((a, b) => a + b, 0);
export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
