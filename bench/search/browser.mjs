// Search in a real headless browser: the portal's client (/<lang>/search/
// with static/js/search.js) against Pagefind's (a small page that loads
// /pagefind/pagefind.js, calls pagefind.search(q) and loads the first 5
// results' data), on the same built site, served by a tiny static server
// that gzips text like a CDN. For each query it reports the bytes sent to
// answer it and show the results (gzip sizes on the wire, counted by the
// server), and the time from input to results in the DOM.
//
//   node bench/search/browser.mjs --site OUT [--reps 5] [--throttle 4] [--settle 300] [--json FILE]
//
// Each measurement uses a fresh browser context (empty cache): "cold" is
// the first query on a freshly loaded page, --settle ms after it loaded
// (our manifest loads at page load, Pagefind's wasm and metadata at import); "warm" is a second, different query in
// the same language on that page.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    reps: { type: 'string', default: '5' },
    throttle: { type: 'string', default: '1' },
    settle: { type: 'string', default: '300' },
    json: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
if (!args.site) {
  console.error('browser.mjs: --site OUT is required (a built site with pagefind/ in it)');
  process.exit(2);
}
const SITE = path.resolve(args.site);
const REPS = Number(args.reps);
const THROTTLE = Number(args.throttle);
// Milliseconds between page load and the first query: nobody types a
// query in less, and both clients may use it to get ready.
const SETTLE = Number(args.settle);

// The queries: [name, language, cold query, warm query].
const QUERIES = [
  ['it one word', 'it', 'cittadinanza', 'residenza'],
  ['it two words', 'it', 'permesso soggiorno', 'codice fiscale'],
  // Not "الجنسية": desks list citizenship among their services, and the
  // corpus's desk pages (tiny fragments) then fill the first results.
  ['ar', 'ar', 'تأشيرة', 'الضريبي'],
  ['zh', 'zh', '国籍', '税号'],
];

// ---- Static server ----
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
  return { ms: performance.now() - t0, total: s.results.length, shown: data.length };
};`;

let log = [];
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
      log.push({ path: p, bytes: 0, status: 404 });
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
  log.push({ path: p, bytes: body.length, status: 200 });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const BASE = `http://127.0.0.1:${server.address().port}`;

// ---- Browser ----
const browser = await chromium.launch({
  executablePath: args.chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function newPage() {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  if (THROTTLE > 1) {
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  }
  return { ctx, page };
}

// ours runs q on the portal's search page; returns the time from submit
// to results in the DOM, and the hits shown.
async function oursQuery(page, q) {
  return page.evaluate(async (q) => {
    const form = document.querySelector('main form[data-search]') || document.querySelector('form[data-search]');
    const input = form.querySelector('input[name="q"]');
    const out = document.getElementById('search-results');
    const list = out.querySelector('.search-list');
    list.textContent = '';
    const done = () => out.getAttribute('aria-busy') === 'false' && out.querySelector('.search-hit');
    let top5 = 0; // time until the first five hits (Pagefind's page) are shown
    const t0 = performance.now();
    input.value = q;
    form.requestSubmit();
    await new Promise((resolve, reject) => {
      const mo = new MutationObserver(() => {
        if (!top5 && (out.querySelectorAll('.search-hit').length >= 5 || done())) top5 = performance.now() - t0;
        if (done()) { mo.disconnect(); resolve(); }
      });
      mo.observe(out, { subtree: true, childList: true, attributes: true });
      setTimeout(() => { mo.disconnect(); reject(new Error('no results for ' + q)); }, 30000);
    });
    return { ms: top5, allMs: performance.now() - t0, shown: out.querySelectorAll('.search-hit').length, status: out.querySelector('.search-status').textContent };
  }, q);
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };

async function measure(engine, lang, q, warm) {
  const { ctx, page } = await newPage();
  try {
    if (engine === 'ours') {
      await page.goto(`${BASE}/${lang}/search/`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelector('#search-results .search-status'));
      await page.waitForTimeout(SETTLE);
    } else {
      await page.goto(`${BASE}/__pf/${lang}.html`, { waitUntil: 'load' });
      await page.evaluate(() => window.pfReady);
      await page.waitForTimeout(SETTLE);
    }
    const pageLog = log;
    log = [];
    const order = []; // request paths in the order the page issued them
    page.on('request', (r) => order.push(new URL(r.url()).pathname));
    const cold = engine === 'ours' ? await oursQuery(page, q) : await page.evaluate((q) => window.pfRun(q), q);
    await page.waitForTimeout(100); // let late requests land in the log
    const coldLog = log;
    log = [];
    const second = engine === 'ours' ? await oursQuery(page, warm) : await page.evaluate((q) => window.pfRun(q), warm);
    // Bytes: the engine's script (fetched with the page) plus every file of
    // the engine's index the query fetched (ours: /search/, Pagefind:
    // /pagefind/, including what Pagefind loads at import).
    const script = engine === 'ours' ? /^\/assets\/search\.[0-9a-f]+\.js$/ : /^\/pagefind\/pagefind\.js$/;
    const mine = engine === 'ours' ? (r) => r.path.startsWith('/search/') : (r) => r.path.startsWith('/pagefind/') && !script.test(r.path);
    const scriptBytes = sum(pageLog.filter((r) => script.test(r.path)).map((r) => r.bytes));
    const fetched = [...pageLog.filter(mine), ...coldLog.filter(mine)];
    // Ours shows 10 hits on its first page; for the same 5 results as
    // Pagefind, count the fragment files of the first 5 hits only: the
    // client asks for them in hit order.
    let first5 = fetched;
    if (engine === 'ours') {
      const frags = [...new Set(order.filter((p) => p.startsWith('/search/f/')))];
      const keep = new Set(frags.slice(0, 5));
      first5 = fetched.filter((r) => !r.path.startsWith('/search/f/') || keep.has(r.path));
    }
    return {
      coldMs: cold.ms, warmMs: second.ms, coldAllMs: cold.allMs ?? cold.ms, warmAllMs: second.allMs ?? second.ms, shown: cold.shown,
      scriptBytes, queryBytes: sum(fetched.map((r) => r.bytes)), first5Bytes: sum(first5.map((r) => r.bytes)),
      requests: fetched.length, files: fetched.map((r) => `${r.path} ${r.bytes}`),
    };
  } finally {
    await ctx.close();
  }
}

const results = [];
for (const [name, lang, q, warm] of QUERIES) {
  for (const engine of ['ours', 'pagefind']) {
    const runs = [];
    for (let i = 0; i < REPS; i++) runs.push(await measure(engine, lang, q, warm));
    results.push({
      name, lang, q, warm, engine,
      coldMs: median(runs.map((r) => r.coldMs)), warmMs: median(runs.map((r) => r.warmMs)),
      coldAllMs: median(runs.map((r) => r.coldAllMs)), warmAllMs: median(runs.map((r) => r.warmAllMs)),
      shown: runs[0].shown, scriptBytes: runs[0].scriptBytes, queryBytes: runs[0].queryBytes,
      totalBytes: runs[0].scriptBytes + runs[0].queryBytes, first5Bytes: runs[0].scriptBytes + runs[0].first5Bytes,
      requests: runs[0].requests, files: runs[0].files,
    });
  }
}
await browser.close();
server.close();

const kb = (b) => (b / 1024).toFixed(1);
const by = (name, engine) => results.find((r) => r.name === name && r.engine === engine);
console.log(`\nBrowser: chromium headless, CPU throttling ${THROTTLE}x, ${REPS} fresh contexts per query, first query ${SETTLE} ms after load, medians; bytes are gzip on the wire.`);
console.log('"script": search.js or pagefind.js; "all": script + every index file fetched until results were shown (ours shows 10);');
console.log('"top 5": script + what the first 5 results need (Pagefind loads exactly 5).');
console.log('Times: input to the first 5 results in the DOM (Pagefind shows 5); "all": to every shown result (ours: 10).');
console.log('| query | engine | script KB | all KB | top 5 KB | requests | shown | cold ms | warm ms | cold all ms | warm all ms |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.name} (${r.q}) | ${r.engine} | ${kb(r.scriptBytes)} | ${kb(r.totalBytes)} | ${kb(r.first5Bytes)} | ${r.requests} | ${r.shown} | ${r.coldMs.toFixed(1)} | ${r.warmMs.toFixed(1)} | ${r.coldAllMs.toFixed(1)} | ${r.warmAllMs.toFixed(1)} |`);
}
console.log('\n| query | top 5 bytes ours/Pagefind | all bytes ours/Pagefind | cold time ours/Pagefind | warm time ours/Pagefind |');
console.log('|---|---|---|---|---|');
for (const [name] of QUERIES) {
  const o = by(name, 'ours'), p = by(name, 'pagefind');
  console.log(`| ${name} | ${(o.first5Bytes / p.first5Bytes).toFixed(2)} | ${(o.totalBytes / p.totalBytes).toFixed(2)} | ${(o.coldMs / p.coldMs).toFixed(2)} | ${(o.warmMs / p.warmMs).toFixed(2)} |`);
}
for (const engine of ['ours', 'pagefind']) {
  const rs = results.filter((r) => r.engine === engine);
  console.log(`${engine}: median over queries: cold ${median(rs.map((r) => r.coldMs)).toFixed(1)} ms, warm ${median(rs.map((r) => r.warmMs)).toFixed(1)} ms, top 5 ${kb(median(rs.map((r) => r.first5Bytes)))} KB, all ${kb(median(rs.map((r) => r.totalBytes)))} KB`);
}
if (args.json) fs.writeFileSync(args.json, JSON.stringify({ throttle: THROTTLE, reps: REPS, results }, null, 1));
