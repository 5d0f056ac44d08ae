// Search in a real headless browser: the portal's client (/<lang>/search/
// with static/js/search.js) against Pagefind's (a small page that loads
// /pagefind/pagefind.js, calls pagefind.search(q) and loads the first 5
// results' data), on the same built site, served by a tiny static server
// (server.mjs) that gzips text like a CDN, in a child process of its own,
// one per engine. For each query it reports the bytes sent to answer it
// and show the results (gzip sizes on the wire, counted by the server),
// and the time from submit to results in the DOM: for ours, to the first
// 5 hits with their titles and links ("titles") and to the first 5 hits
// complete with section and highlighted excerpt ("top 5"); Pagefind draws
// both at once. The server sends every file with "Cache-Control:
// no-cache"; within one page both clients keep what they downloaded in
// memory, so a CDN's long-lived caching of the hashed files would change
// none of these figures (each measurement is a fresh browser context),
// only a later visit's. The site's service worker registers and takes
// control of our page while it settles, as it would for a visitor.
//
//   node bench/search/browser.mjs --site OUT [--reps 5] [--throttle 4] [--settle 300] [--json FILE]
//       [--engines ours,pagefind] [--client NAME=FILE]... [--server child|inproc] [--trigger submit|enter]
//
// --client NAME=FILE adds an engine NAME: the portal's search page with
// FILE served in place of the site's /assets/search.<hash>.js, to compare
// two versions of the client in one run (minify it first with
// bench/search/minifyjs, as the build does); NAME=PATH=FILE,... serves
// files in place of any paths (/sw.js, search.js). An engine written
// ENGINE@inproc is served by a server in the bench's own process, as it
// was before session 7 (its responses then wait for the driver's event
// loop); --server sets the default. Each (query, rep) measures every
// engine in turn, so that a busy machine slows them alike; per query it
// prints medians and the min-max range of the reps. --trigger enter
// starts our queries with a real Enter key press, timed from the key
// event (see oursQuery); Pagefind's are always timed from the call of
// pagefind.search.
//
// Each measurement uses a fresh browser context (empty cache): "cold" is
// the first query on a freshly loaded page, --settle ms after it loaded
// (our manifest loads at page load, Pagefind's wasm and metadata at
// import); "warm" is a second, different query in the same language on
// that page.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { QUERIES, startServer, launch, newPage, oursQuery, openOurs, parseClient, sum, median } from './common.mjs';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    reps: { type: 'string', default: '5' },
    throttle: { type: 'string', default: '1' },
    settle: { type: 'string', default: '300' },
    json: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    trigger: { type: 'string', default: 'submit' },
    server: { type: 'string', default: 'child' },
    engines: { type: 'string', default: 'ours,pagefind' },
    client: { type: 'string', multiple: true, default: [] },
  },
});
if (!args.site) {
  console.error('browser.mjs: --site OUT is required (a built site with pagefind/ in it)');
  process.exit(2);
}
const REPS = Number(args.reps);
const THROTTLE = Number(args.throttle);
// Milliseconds between page load and the first query: nobody types a
// query in less, and both clients may use it to get ready.
const SETTLE = Number(args.settle);

// Engines: {name, kind: 'ours' | 'pagefind', server}; a server per
// engine.
let clients;
try {
  clients = new Map(args.client.map((c) => { const { name, overrides } = parseClient(c); return [name, overrides]; }));
} catch (e) {
  console.error('browser.mjs: ' + e.message);
  process.exit(2);
}
const ENGINES = [];
for (const spec of [...args.engines.split(',').filter(Boolean), ...clients.keys()]) {
  const [base, mode = args.server] = spec.split('@');
  const kind = base === 'pagefind' ? 'pagefind' : 'ours';
  if (kind === 'ours' && base !== 'ours' && !clients.has(base)) {
    console.error(`browser.mjs: engine ${spec}: want ours, pagefind or a --client name, with @child or @inproc`);
    process.exit(2);
  }
  ENGINES.push({ name: spec, kind, server: await startServer(args.site, mode, clients.get(base)) });
}
const browser = await launch(args.chromium);

const FRAG = /^\/search\/f\/\d+\./; // a fragment file (f/t.<hash>.json is the titles table)

async function measure(eng, lang, q, warm) {
  const { ctx, page } = await newPage(browser, THROTTLE);
  const server = eng.server, BASE = server.base, engine = eng.kind;
  await server.take(); // what the previous measurement left
  try {
    if (engine === 'ours') {
      await openOurs(page, BASE, lang, SETTLE);
    } else {
      await page.goto(`${BASE}/__pf/${lang}.html`, { waitUntil: 'load' });
      await page.evaluate(() => window.pfReady);
      await page.waitForTimeout(SETTLE);
    }
    const pageLog = await server.take();
    const order = []; // request paths in the order the page issued them
    page.on('request', (r) => order.push(new URL(r.url()).pathname));
    const cold = engine === 'ours' ? await oursQuery(page, q, args.trigger) : await page.evaluate((q) => window.pfRun(q), q);
    await page.waitForTimeout(100); // let late requests land in the log
    const coldLog = await server.take();
    const second = engine === 'ours' ? await oursQuery(page, warm, args.trigger) : await page.evaluate((q) => window.pfRun(q), warm);
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
      const frags = [...new Set(order.filter((p) => FRAG.test(p)))];
      const keep = new Set(frags.slice(0, 5));
      first5 = fetched.filter((r) => !FRAG.test(r.path) || keep.has(r.path));
    }
    return {
      coldMs: cold.ms, warmMs: second.ms, coldTitlesMs: cold.titlesMs, warmTitlesMs: second.titlesMs,
      coldAllMs: cold.allMs ?? cold.ms, warmAllMs: second.allMs ?? second.ms, shown: cold.shown,
      scriptBytes, queryBytes: sum(fetched.map((r) => r.bytes)), first5Bytes: sum(first5.map((r) => r.bytes)),
      requests: fetched.length, files: fetched.map((r) => `${r.path} ${r.bytes}`),
    };
  } finally {
    await ctx.close();
  }
}

const results = [];
for (const [name, lang, q, warm] of QUERIES) {
  const runs = new Map(ENGINES.map((e) => [e, []]));
  for (let i = 0; i < REPS; i++) {
    // Every other rep runs the engines in reverse order: the engine run
    // right after another one shares the machine with that one's context
    // closing, a bias that alternation cancels out.
    for (const eng of i % 2 ? [...ENGINES].reverse() : ENGINES) runs.get(eng).push(await measure(eng, lang, q, warm));
  }
  for (const eng of ENGINES) {
    const rs = runs.get(eng);
    const med = (k) => median(rs.map((r) => r[k]));
    const range = (k) => [Math.min(...rs.map((r) => r[k])), Math.max(...rs.map((r) => r[k]))];
    results.push({
      name, lang, q, warm, engine: eng.name,
      coldMs: med('coldMs'), warmMs: med('warmMs'), coldTitlesMs: med('coldTitlesMs'), warmTitlesMs: med('warmTitlesMs'),
      coldAllMs: med('coldAllMs'), warmAllMs: med('warmAllMs'),
      coldRange: range('coldMs'), warmRange: range('warmMs'),
      shown: rs[0].shown, scriptBytes: rs[0].scriptBytes, queryBytes: rs[0].queryBytes,
      totalBytes: rs[0].scriptBytes + rs[0].queryBytes, first5Bytes: rs[0].scriptBytes + rs[0].first5Bytes,
      requests: rs[0].requests, files: rs[0].files, runs: rs.map((r) => ({ coldTitlesMs: r.coldTitlesMs, coldMs: r.coldMs, warmTitlesMs: r.warmTitlesMs, warmMs: r.warmMs })),
    });
  }
}
await browser.close();
for (const e of ENGINES) e.server.close();

const kb = (b) => (b / 1024).toFixed(1);
const f1 = (x) => x.toFixed(1);
const by = (name, engine) => results.find((r) => r.name === name && r.engine === engine);
console.log(`\nBrowser: chromium headless, CPU throttling ${THROTTLE}x, ${REPS} fresh contexts per query, first query ${SETTLE} ms after load, medians; bytes are gzip on the wire; our queries started by ${args.trigger === 'enter' ? 'an Enter key press' : 'form.requestSubmit()'}.`);
console.log('"script": search.js or pagefind.js; "all": script + every index file fetched until results were shown (ours shows 10);');
console.log('"top 5": script + what the first 5 results need, titles and excerpts (Pagefind loads exactly 5).');
console.log('Times from submit: "titles": the first 5 hits in the DOM with title and link; "top 5": the first 5 hits complete with');
console.log('section and highlighted excerpt (Pagefind draws both at once); "all": every hit of the first page complete (ours: 10).');
console.log('| query | engine | script KB | all KB | top 5 KB | requests | shown | cold titles ms | cold top 5 ms (min-max) | warm titles ms | warm top 5 ms (min-max) | cold all ms | warm all ms |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
const rg = (r) => `${f1(r[0])}-${f1(r[1])}`;
for (const r of results) {
  console.log(`| ${r.name} (${r.q}) | ${r.engine} | ${kb(r.scriptBytes)} | ${kb(r.totalBytes)} | ${kb(r.first5Bytes)} | ${r.requests} | ${r.shown} | ${f1(r.coldTitlesMs)} | ${f1(r.coldMs)} (${rg(r.coldRange)}) | ${f1(r.warmTitlesMs)} | ${f1(r.warmMs)} (${rg(r.warmRange)}) | ${f1(r.coldAllMs)} | ${f1(r.warmAllMs)} |`);
}
console.log('\n| query | top 5 bytes ours/Pagefind | all bytes ours/Pagefind | cold top 5 time ours/Pagefind | warm top 5 time ours/Pagefind |');
console.log('|---|---|---|---|---|');
for (const [name] of QUERIES) {
  const o = by(name, 'ours'), p = by(name, 'pagefind');
  if (!o || !p) continue;
  console.log(`| ${name} | ${(o.first5Bytes / p.first5Bytes).toFixed(2)} | ${(o.totalBytes / p.totalBytes).toFixed(2)} | ${(o.coldMs / p.coldMs).toFixed(2)} | ${(o.warmMs / p.warmMs).toFixed(2)} |`);
}
for (const { name: engine } of ENGINES) {
  const rs = results.filter((r) => r.engine === engine);
  const m = (k) => f1(median(rs.map((r) => r[k])));
  console.log(`${engine}: median over queries: cold titles ${m('coldTitlesMs')} ms, cold top 5 ${m('coldMs')} ms, warm titles ${m('warmTitlesMs')} ms, warm top 5 ${m('warmMs')} ms, ` +
    `top 5 ${kb(median(rs.map((r) => r.first5Bytes)))} KB, all ${kb(median(rs.map((r) => r.totalBytes)))} KB`);
}
if (args.json) fs.writeFileSync(args.json, JSON.stringify({ throttle: THROTTLE, reps: REPS, results }, null, 1));
