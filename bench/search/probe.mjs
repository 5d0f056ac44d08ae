// Where a cold query's time goes, from the browser's own Resource Timing
// (no tracing overhead): for each rep, the portal's search page is opened
// in a fresh context, a query is run, and every /search/ request of the
// query is listed with the times (ms after submit) at which the client
// called fetch, the request left, the first byte and the last byte came.
// Per query it prints medians over reps of: chunks in (last chunk's last
// byte), fragments asked (first fragment fetch), fragments in (last byte
// of the first 5 hits' fragment files), titles and top 5 in the DOM; and
// the gaps between them (medians of each rep's gap): the client's own
// work, and the round trips. "5th frag fetch" is the last fragment file
// asked for the first 5 hits (hits sharing a file ask once).
//
//   node bench/search/probe.mjs --site OUT [--reps 7] [--throttle 1] [--client NAME=FILE | NAME=PATH=FILE,...]... [--engines ours,ours-nosw,ours@inproc] [--warm] [--trigger submit|enter] [--marks] [--json FILE]
//   node bench/search/probe.mjs --site OUT --raw [--reps 7] [--settle 2500] [--only NAME] [--engines ours] [--client NAME=FILE]...
//
// --marks also prints, per engine, the medians of the performance marks
// whose names start with "c:" (ms after submit; the first and the last of
// each name): a client copied with performance.mark('c:...') calls at
// the steps of interest shows where its own milliseconds go, without the
// cost of tracing. --json FILE writes every rep's requests and marks.
// --raw times the cold queries in a headless Chromium that no DevTools
// client drives (see rawRuns): Playwright's own bookkeeping runs on the
// page's main thread and slows the query it measures.
// With several engines it also prints, per engine after the first, the
// medians of the per-rep differences to the first engine (paired: far
// steadier on a busy machine than differences of medians), and the
// client's own time (the sum of the four "(ours)" gaps).
//
// ours-nosw is the site's client with the service worker blocked; an
// engine written ENGINE@inproc is served from the bench's own process
// (as browser.mjs did before session 7), to compare round trips.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { QUERIES, startServer, launch, newPage, oursQuery, openOurs, parseClient, median } from './common.mjs';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    reps: { type: 'string', default: '7' },
    throttle: { type: 'string', default: '1' },
    settle: { type: 'string', default: '300' },
    only: { type: 'string' },
    client: { type: 'string', multiple: true, default: [] },
    engines: { type: 'string', default: 'ours' },
    warm: { type: 'boolean', default: false },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    trigger: { type: 'string', default: 'submit' },
    marks: { type: 'boolean', default: false },
    json: { type: 'string' },
    raw: { type: 'boolean', default: false },
  },
});
if (!args.site) {
  console.error('probe.mjs: --site OUT is required');
  process.exit(2);
}
if (args.raw) {
  await rawRuns();
  process.exit(0);
}
const engines = [];
for (const e of args.engines.split(',').filter(Boolean)) {
  const [base, mode = 'child'] = e.split('@');
  if ((base !== 'ours' && base !== 'ours-nosw') || (mode !== 'child' && mode !== 'inproc')) {
    console.error(`probe.mjs: engine ${e}: want ours or ours-nosw (service worker blocked), optionally @inproc`);
    process.exit(2);
  }
  engines.push({ name: e, server: await startServer(args.site, mode), sw: base === 'ours' });
}
for (const c of args.client) {
  let cl;
  try { cl = parseClient(c); } catch (e) { console.error('probe.mjs: ' + e.message); process.exit(2); }
  engines.push({ name: cl.name, server: await startServer(args.site, 'child', cl.overrides), sw: true });
}
const browser = await launch(args.chromium);
const FRAG = /\/search\/f\/\d+\./;
const CHUNK = /\/search\/t\//;
const f1 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(1));

const dump = [];
for (const [name, lang, cold, warm] of QUERIES) {
  if (args.only && args.only !== name) continue;
  const rows = new Map(engines.map((e) => [e.name, []]));
  for (let rep = 0; rep < Number(args.reps); rep++) {
    // Every other rep runs the engines in reverse order: the engine run
    // right after another one shares the machine with that one's context
    // closing, a bias that alternation cancels out.
    for (const eng of rep % 2 ? [...engines].reverse() : engines) {
      const { ctx, page } = await newPage(browser, Number(args.throttle), eng.sw);
      try {
        await openOurs(page, eng.server.base, lang, Number(args.settle));
        if (args.warm) await oursQuery(page, cold, args.trigger);
        const q = args.warm ? warm : cold;
        const mark = await page.evaluate(() => performance.now());
        const r = await oursQuery(page, q, args.trigger);
        const res = await page.evaluate((since) => {
          const start = performance.getEntriesByName('search-start').pop().startTime;
          return performance.getEntriesByType('resource').filter((e) => e.startTime >= since && /\/search\//.test(e.name)).map((e) => ({
            path: new URL(e.name).pathname, call: e.startTime - start, req: e.requestStart - start,
            first: e.responseStart - start, end: e.responseEnd - start,
          }));
        }, mark);
        const marks = !args.marks ? [] : await page.evaluate(() => {
          const start = performance.getEntriesByName('search-start').pop().startTime;
          return performance.getEntriesByType('mark').filter((m) => m.name.startsWith('c:') && m.startTime >= start).map((m) => [m.name, m.startTime - start]);
        });
        const chunks = res.filter((x) => CHUNK.test(x.path));
        const frags = res.filter((x) => FRAG.test(x.path));
        // The first screen's fragment files: those asked for before the
        // first 5 hits were complete (up to 5; hits may share a file).
        const first5 = frags.filter((x) => x.call <= r.ms).slice(0, 5);
        rows.get(eng.name).push({
          chunkCall: Math.min(...chunks.map((x) => x.call)),
          chunksIn: Math.max(...chunks.map((x) => x.end)),
          fragCall: first5.length ? Math.min(...first5.map((x) => x.call)) : NaN,
          fragLastCall: first5.length ? Math.max(...first5.map((x) => x.call)) : NaN,
          fragFirstByte: first5.length ? Math.max(...first5.map((x) => x.first)) : NaN,
          fragsIn: first5.length ? Math.max(...first5.map((x) => x.end)) : NaN,
          titles: r.titlesMs, top5: r.ms, res, marks,
        });
      } finally {
        await ctx.close();
      }
    }
  }
  console.log(`\n### ${name} ${args.warm ? 'warm' : 'cold'} (${args.warm ? warm : cold}), CPU ${args.throttle}x, medians of ${args.reps} (ms after submit)`);
  console.log('| engine | 1st chunk fetch | chunks in | 1st frag fetch | last frag fetch | frags 1st byte | frags in | titles | top 5 | top5 min-max |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const eng of engines) {
    const rs = rows.get(eng.name);
    const m = (k) => f1(median(rs.map((r) => r[k])));
    console.log(`| ${eng.name} | ${m('chunkCall')} | ${m('chunksIn')} | ${m('fragCall')} | ${m('fragLastCall')} | ${m('fragFirstByte')} | ${m('fragsIn')} | ${m('titles')} | ${m('top5')} | ${f1(Math.min(...rs.map((r) => r.top5)))}-${f1(Math.max(...rs.map((r) => r.top5)))} |`);
  }
  // The client's own time in a rep: the four gaps that are its work
  // (submit to the first chunk fetch, chunks in to the first fragment
  // fetch, first to last fragment fetch, fragments in to the top 5).
  for (const rs of rows.values()) {
    for (const r of rs) r.own = r.chunkCall + (r.fragCall - r.chunksIn) + (r.fragLastCall - r.fragCall) + (r.top5 - r.fragsIn);
  }
  // Paired differences: each rep ran every engine within a few seconds,
  // so the median of the per-rep differences to the first engine is far
  // steadier on a busy machine than the difference of the medians.
  if (engines.length > 1) {
    const first = rows.get(engines[0].name);
    for (const eng of engines.slice(1)) {
      const rs = rows.get(eng.name), d = (k) => f1(median(rs.map((r, i) => r[k] - first[i][k])));
      const won = rs.filter((r, i) => r.top5 < first[i].top5).length;
      console.log(`paired, ${eng.name} minus ${engines[0].name} (median of per-rep differences, ms): titles ${d('titles')}, top 5 ${d('top5')}, chunks in ${d('chunksIn')}, 1st frag fetch ${d('fragCall')}, frags in ${d('fragsIn')}, client's own ${d('own')}; top 5 faster in ${won} of ${rs.length} reps`);
    }
  }
  dump.push({ name, engines: Object.fromEntries(rows) });
  if (args.marks) {
    for (const eng of engines) {
      const rs = rows.get(eng.name), names = [...new Set(rs.flatMap((r) => r.marks.map((m) => m[0])))];
      const at = (r, n, pick) => { const ts = r.marks.filter((m) => m[0] === n).map((m) => m[1]); return ts.length ? pick(...ts) : NaN; };
      const row = names.map((n) => ({ n, first: median(rs.map((r) => at(r, n, Math.min))), last: median(rs.map((r) => at(r, n, Math.max))) }))
        .sort((a, b) => a.first - b.first);
      if (row.length) console.log(`marks, ${eng.name} (median ms after submit, first/last): ` + row.map((x) => `${x.n} ${f1(x.first)}/${f1(x.last)}`).join(', '));
    }
  }
  // Per-rep gaps, then their medians: steadier than differences of
  // medians on a busy machine. "ours" gaps are the client's own work;
  // the others are the network, the server and the scheduler.
  console.log('| engine | submit to chunk fetch (ours) | chunk round trip | chunks in to frag fetch (ours) | 1st to last frag fetch (ours) | frag round trip | frags in to top 5 (ours) | client own time (sum of ours) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const eng of engines) {
    const rs = rows.get(eng.name);
    const g = (a, b) => f1(median(rs.map((r) => r[b] - (a ? r[a] : 0))));
    console.log(`| ${eng.name} | ${g('', 'chunkCall')} | ${g('chunkCall', 'chunksIn')} | ${g('chunksIn', 'fragCall')} | ${g('fragCall', 'fragLastCall')} | ${g('fragLastCall', 'fragsIn')} | ${g('fragsIn', 'top5')} | ${g('', 'own')} |`);
  }
}
await browser.close();
for (const e of engines) e.server.close();
if (args.json) fs.writeFileSync(args.json, JSON.stringify(dump));

// rawRuns (--raw) times the cold queries in a headless Chromium that no
// DevTools client drives: Playwright keeps the Network and Runtime
// domains on, and their bookkeeping (a requestWillBeSent event with the
// initiator's stack per request, among others) runs on the page's main
// thread: fetch() calls cost ~1.5-3 ms for the first of a task and
// ~0.2-0.5 ms for the next ones there, ~0.5 and ~0.1 ms without. Each
// engine ("ours", the site's client, and each --client) is served with
// a snippet appended to its client that runs the query --settle ms after
// the page's load event (2500 by default here: a fresh browser is still
// starting up for a second or two) as oursQuery does (in the box and
// drawn, then form.requestSubmit()), and prints the times to the first 5
// titles and the first 5 complete hits to the browser's log. Each rep is
// a new browser with an empty profile. Only times: no requests or marks.
async function rawRuns() {
  const f1 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(1));
  const settle = args.settle === '300' ? 2500 : Number(args.settle);
  const specs = [];
  for (const e of args.engines.split(',').filter(Boolean)) {
    if (e !== 'ours') { console.error(`probe.mjs --raw: engine ${e}: only ours and --client engines`); process.exit(2); }
    const dir = path.join(args.site, 'assets');
    const f = fs.readdirSync(dir).find((n) => /^search\.[0-9a-f]+\.js$/.test(n));
    specs.push({ name: 'ours', file: path.join(dir, f) });
  }
  for (const c of args.client) {
    const i = c.indexOf('=');
    if (i <= 0 || c.slice(i + 1).includes('=') || !fs.existsSync(c.slice(i + 1))) { console.error(`probe.mjs --raw: --client ${c}: want NAME=FILE`); process.exit(2); }
    specs.push({ name: c.slice(0, i), file: c.slice(i + 1) });
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-raw-'));
  for (const [name, lang, q] of QUERIES) {
    if (args.only && args.only !== name) continue;
    const engines = [];
    for (const sp of specs) {
      const file = path.join(tmp, `${sp.name}.js`);
      fs.writeFileSync(file, fs.readFileSync(sp.file, 'utf8') + '\n' + rawSnippet(q, settle));
      engines.push({ name: sp.name, server: await startServer(args.site, 'child', { 'search.js': file }), rs: [] });
    }
    for (let rep = 0; rep < Number(args.reps); rep++) {
      for (const eng of rep % 2 ? [...engines].reverse() : engines) {
        const profile = path.join(tmp, `profile-${eng.name}-${rep}`);
        eng.rs.push(await rawOnce(`${eng.server.base}/${lang}/search/`, profile, settle + 15000));
        fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      }
    }
    console.log(`\n### ${name} cold (${q}), no DevTools (--raw), medians of ${args.reps} (ms after submit; reps that timed out left out)`);
    console.log('| engine | titles | top 5 | top5 min-max | reps |');
    console.log('|---|---|---|---|---|');
    for (const eng of engines) {
      const ok = eng.rs.filter(Boolean);
      console.log(`| ${eng.name} | ${f1(median(ok.map((r) => r.titles)))} | ${f1(median(ok.map((r) => r.top5)))} | ${f1(Math.min(...ok.map((r) => r.top5)))}-${f1(Math.max(...ok.map((r) => r.top5)))} | ${ok.length} |`);
    }
    for (const eng of engines.slice(1)) {
      const ds = eng.rs.map((r, i) => (r && engines[0].rs[i] ? r.top5 - engines[0].rs[i].top5 : NaN)).filter((x) => !Number.isNaN(x));
      console.log(`paired, ${eng.name} minus ${engines[0].name}: top 5 ${f1(median(ds))} ms; faster in ${ds.filter((x) => x < 0).length} of ${ds.length} reps`);
    }
    for (const eng of engines) eng.server.close();
  }
  fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

// rawSnippet returns the script appended to the client for --raw.
function rawSnippet(q, settle) {
  return `;(function () {
  function go() {
    var form = document.querySelector('main form[data-search]') || document.querySelector('form[data-search]');
    var input = form.querySelector('input[name="q"]'), out = document.getElementById('search-results');
    input.value = ${JSON.stringify(q)};
    requestAnimationFrame(function () { setTimeout(function () {
      var titles = 0, t0 = performance.now();
      var mo = new MutationObserver(function () {
        var hits = Array.prototype.slice.call(out.querySelectorAll('.search-hit'), 0, 5);
        var done = out.getAttribute('aria-busy') === 'false';
        if (!titles && (hits.length === 5 || done && hits.length)) titles = performance.now() - t0;
        if (titles && !hits.some(function (h) { return h.classList.contains('search-pending'); })) {
          mo.disconnect();
          console.log('PROBE-RAW ' + JSON.stringify({ titles: titles, top5: performance.now() - t0 }));
        }
      });
      mo.observe(out, { subtree: true, childList: true, attributes: true });
      form.requestSubmit();
    }, 0); });
  }
  window.addEventListener('load', function () { setTimeout(go, ${settle}); });
})();
`;
}

// rawOnce opens url in a new headless Chromium with an empty profile and
// resolves to the times the snippet printed, or null after limit ms.
function rawOnce(url, profile, limit) {
  return new Promise((resolve) => {
    const p = spawn(args.chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=375,667',
      `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', url], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let buf = '', done = false;
    const finish = (r) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // The whole process group: the browser's helpers write into the
      // profile until they end.
      p.once('exit', () => setTimeout(() => resolve(r), 200));
      try { process.kill(-p.pid, 'SIGTERM'); } catch { p.kill(); }
    };
    const timer = setTimeout(() => finish(null), limit);
    p.stderr.on('data', (d) => {
      buf += d;
      const m = buf.match(/PROBE-RAW (\{[^}]*\})/);
      if (m) finish(JSON.parse(m[1]));
    });
  });
}
