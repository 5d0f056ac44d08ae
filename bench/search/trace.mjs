// Where a query's time goes in the browser: a Chromium trace and a CPU
// profile of the portal's search page for the bench queries (cold: first
// query on a fresh page; warm: a second query on it), at full speed and
// with CPU throttling. For each it prints the request timeline (ms after
// submit: sent, first byte, done) and the main thread's time by kind
// (script, JSON parsing, style/layout/paint, GC, idle waiting for the
// network), up to the first 5 titles and up to the first 5 complete hits,
// and the JavaScript functions with the most self time.
//
//   node bench/search/trace.mjs --site OUT [--throttle 1,4] [--reps 3] [--settle 300] [--only "it two words"] [--json FILE]
//       [--no-sw] [--no-profile] [--timeline] [--trigger submit|enter] [--client FILE | --client PATH=FILE,...]
//
// --timeline also prints, for the median rep, the main thread's tasks up
// to the first 5 complete hits (start and length in ms after submit, and
// the functions with the most self time in each, from the CPU profile),
// between the requests as they were sent: which work stands between a
// response and the next request. Serve the unminified client
// (--client static/js/search.js) to read its function names.
// --no-sw blocks the site's service worker; --no-profile leaves out the
// CPU profile (its sampling costs the main thread time); --client serves
// FILE as the search client (or files in place of any paths, see
// server.mjs). Besides wall time, it prints the main thread's CPU time
// (trace thread time), which a busy machine disturbs far less.
//
// Numbers are medians over reps (fresh browser contexts); the request
// timeline is the one of the median rep. Tracing costs some speed: use
// browser.mjs for the figures, this for the breakdown.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { QUERIES, startServer, launch, newPage, oursQuery, openOurs, parseClient, median } from './common.mjs';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    throttle: { type: 'string', default: '1,4' },
    reps: { type: 'string', default: '3' },
    settle: { type: 'string', default: '300' },
    only: { type: 'string' },
    json: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    server: { type: 'string', default: 'child' },
    'no-sw': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    timeline: { type: 'boolean', default: false },
    trigger: { type: 'string', default: 'submit' },
    client: { type: 'string' },
  },
});
if (!args.site) {
  console.error('trace.mjs: --site OUT is required');
  process.exit(2);
}
const CATEGORIES = ['devtools.timeline', 'v8.execute', 'blink.user_timing', 'disabled-by-default-devtools.timeline', 'v8', 'loading'].join(',');

// Kinds of main-thread work, by trace event name (self time).
const KIND = {
  FunctionCall: 'script', EvaluateScript: 'script', 'v8.callFunction': 'script', 'v8.run': 'script', TimerFire: 'script',
  FireAnimationFrame: 'script', EventDispatch: 'script', 'V8.Execute': 'script', RunMicrotasks: 'script', 'v8.evaluateModule': 'script',
  'v8.compile': 'compile', 'V8.CompileCode': 'compile', 'v8.compileModule': 'compile', 'V8.CompileLazy': 'compile',
  'V8.ParseLazy': 'compile', 'V8.ParseFunction': 'compile',
  ParseHTML: 'parse html', ParseAuthorStyleSheet: 'style',
  UpdateLayoutTree: 'style', RecalculateStyles: 'style', Layout: 'layout', PrePaint: 'paint', Paint: 'paint',
  Layerize: 'paint', UpdateLayer: 'paint', 'Document::updateStyleAndLayout': 'layout', IntersectionObserverController: 'layout',
  MinorGC: 'gc', MajorGC: 'gc', 'V8.GC_SCAVENGER': 'gc', 'V8.GCScavenger': 'gc', 'V8.GC_MC_BACKGROUND_MARKING': 'gc',
  'V8.GCIncrementalMarking': 'gc', 'V8.GCFinalizeMC': 'gc', BlinkGC: 'gc', 'V8.GCCompactor': 'gc',
  ResourceReceivedData: 'network', ResourceReceiveResponse: 'network', ResourceFinish: 'network', ResourceSendRequest: 'network',
};

async function traced(cdp, fn) {
  const events = [];
  const onData = (e) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', onData);
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  const profiling = !args['no-profile'];
  if (profiling) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  const res = await fn();
  const { profile } = profiling ? await cdp.send('Profiler.stop') : { profile: null };
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', onData);
  return { res, events, profile };
}

// analyse turns one traced query into a timeline and time by kind.
function analyse(events, profile) {
  const mark = (name) => events.find((e) => e.name === name && e.cat.includes('user_timing'));
  const start = mark('search-start'), titles = mark('search-titles'), top5 = mark('search-top5');
  if (!start || !top5) throw new Error('trace.mjs: the user timing marks are missing from the trace');
  const pid = start.pid;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args.name === 'CrRendererMain');
  const tid = main ? main.tid : start.tid;
  const t0 = start.ts;
  const ms = (ts) => (ts - t0) / 1000;

  // Requests.
  const reqs = new Map();
  for (const e of events) {
    const d = e.args && e.args.data;
    if (!d || !d.requestId) continue;
    if (e.name === 'ResourceSendRequest' && d.url) reqs.set(d.requestId, { path: new URL(d.url).pathname, sent: ms(e.ts) });
    const r = reqs.get(d.requestId);
    if (!r) continue;
    if (e.name === 'ResourceReceiveResponse' && r.first === undefined) r.first = ms(e.ts);
    if (e.name === 'ResourceFinish') r.done = ms(e.ts);
  }
  const timeline = [...reqs.values()].filter((r) => r.sent >= -1).sort((a, b) => a.sent - b.sent);

  // Main-thread self time by kind, in [start, end); other: the self
  // time of events of no known kind, by name (of the last window).
  let other = {};
  const byKind = (end) => {
    const xs = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur !== undefined && e.ts + e.dur > t0 && e.ts < end)
      .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const out = {};
    const stack = [];
    other = {};
    let busy = 0, cpu = 0;
    // Self time: an event's duration (clipped to the window) minus its
    // children's; the kind of an unknown event is its nearest known parent's.
    const clip = (e) => Math.max(0, Math.min(e.ts + e.dur, end) - Math.max(e.ts, t0));
    for (const e of xs) {
      while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
      const parent = stack[stack.length - 1];
      const c = clip(e);
      if (parent) parent.self -= c;
      else {
        busy += c;
        // Thread time: what the main thread really ran (not waiting
        // for a processor), steady on a busy machine where durations
        // are not.
        if (e.tdur !== undefined && e.dur > 0) cpu += e.tdur * c / e.dur;
      }
      e.self = c;
      e.kind = KIND[e.name] || (parent ? parent.kind : 'other');
      stack.push(e);
    }
    for (const e of xs) {
      out[e.kind] = (out[e.kind] || 0) + e.self / 1000;
      if (e.kind === 'other') other[e.name] = (other[e.name] || 0) + e.self / 1000;
    }
    out['idle (waiting)'] = (end - t0 - busy) / 1000;
    out.cpu = cpu / 1000;
    return out;
  };

  // JavaScript self time by function, from the CPU profile, in the window
  // up to the first 5 complete hits.
  const fns = {};
  if (profile) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    let t = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i];
      if (t < t0 || t > top5.ts) continue;
      const n = nodes.get(profile.samples[i]);
      const cf = n.callFrame;
      const name = (cf.functionName || '(anonymous)') + (cf.url ? ' ' + cf.url.replace(/^.*\//, '') + ':' + (cf.lineNumber + 1) : '');
      const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i]) / 1000;
      fns[name] = (fns[name] || 0) + dt;
    }
  }
  // Top-level main-thread tasks in the window (for --timeline), each
  // with its functions' self time from the profile samples inside it.
  const kindsTitles = byKind(titles ? titles.ts : top5.ts), kindsTop5 = byKind(top5.ts);
  const mainX = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.self !== undefined);
  const tasks = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.name === 'RunTask' && e.ts + e.dur > t0 && e.ts < top5.ts && e.dur >= 100)
    .sort((a, b) => a.ts - b.ts).map((e) => {
      // The task's self time by kind (of the events inside it), but script.
      const kinds = {};
      for (const x of mainX) {
        if (x !== e && x.ts >= e.ts && x.ts + x.dur <= e.ts + e.dur && x.kind !== 'script' && x.kind !== 'other') kinds[x.kind] = (kinds[x.kind] || 0) + x.self / 1000;
      }
      return { at: ms(e.ts), dur: e.dur / 1000, cpu: (e.tdur ?? 0) / 1000, fns: {}, kinds };
    });
  if (profile && tasks.length) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    let t = profile.startTime, k = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i];
      const at = ms(t);
      while (k < tasks.length && tasks[k].at + tasks[k].dur < at) k++;
      if (k === tasks.length) break;
      if (at < tasks[k].at) continue;
      const cf = nodes.get(profile.samples[i]).callFrame;
      const name = (cf.functionName || '(anonymous)') + (cf.url ? ':' + (cf.lineNumber + 1) : '');
      tasks[k].fns[name] = (tasks[k].fns[name] || 0) + (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i]) / 1000;
    }
  }
  return {
    tasks,
    titlesMs: titles ? ms(titles.ts) : ms(top5.ts), top5Ms: ms(top5.ts), timeline,
    kindsTitles, kindsTop5, fns, other,
  };
}

let overrides = {};
try {
  if (args.client) overrides = parseClient('client=' + args.client).overrides;
} catch (e) {
  console.error('trace.mjs: ' + e.message);
  process.exit(2);
}
const server = await startServer(args.site, args.server, overrides);
const browser = await launch(args.chromium);
const reps = Number(args.reps), settle = Number(args.settle);
const all = [];
for (const throttle of args.throttle.split(',').map(Number)) {
  for (const [name, lang, q, warm] of QUERIES) {
    if (args.only && args.only !== name) continue;
    const runs = { cold: [], warm: [] };
    for (let i = 0; i < reps; i++) {
      const { ctx, page, cdp } = await newPage(browser, throttle, !args['no-sw']);
      try {
        await openOurs(page, server.base, lang, settle);
        for (const [which, query] of [['cold', q], ['warm', warm]]) {
          const { events, profile } = await traced(cdp, () => oursQuery(page, query, args.trigger));
          runs[which].push(analyse(events, profile));
          await page.waitForTimeout(50);
        }
      } finally {
        await ctx.close();
      }
    }
    for (const which of ['cold', 'warm']) {
      const rs = runs[which];
      const mid = [...rs].sort((a, b) => a.top5Ms - b.top5Ms)[Math.floor(rs.length / 2)];
      const kinds = (k) => {
        const names = [...new Set(rs.flatMap((r) => Object.keys(r[k])))];
        return Object.fromEntries(names.map((n) => [n, median(rs.map((r) => r[k][n] || 0))]).sort((a, b) => b[1] - a[1]));
      };
      const fnNames = [...new Set(rs.flatMap((r) => Object.keys(r.fns)))];
      const fns = fnNames.map((n) => [n, median(rs.map((r) => r.fns[n] || 0))]).sort((a, b) => b[1] - a[1]).slice(0, 12);
      const row = {
        name, lang, q: which === 'cold' ? q : warm, which, throttle,
        titlesMs: median(rs.map((r) => r.titlesMs)), top5Ms: median(rs.map((r) => r.top5Ms)),
        kindsTitles: kinds('kindsTitles'), kindsTop5: kinds('kindsTop5'), fns, timeline: mid.timeline,
      };
      all.push(row);
      const f1 = (x) => x.toFixed(1);
      const spread = (xs) => `${f1(Math.min(...xs))}-${f1(median(xs))}-${f1(Math.max(...xs))}`;
      console.log(`\n### ${name}, ${which} (${row.q}), CPU ${throttle}x: titles ${f1(row.titlesMs)} ms, first 5 complete ${f1(row.top5Ms)} ms (traced, median of ${reps})`);
      const shown = (o) => Object.entries(o).filter(([k, v]) => k !== 'cpu' && v >= 0.05).map(([k, v]) => `${k} ${f1(v)}`).join(', ');
      console.log(`main thread CPU (thread time, min-median-max of ${reps}): to the first 5 titles ${spread(rs.map((r) => r.kindsTitles.cpu))} ms, to the first 5 complete ${spread(rs.map((r) => r.kindsTop5.cpu))} ms`);
      console.log('main thread up to the first 5 titles (wall time): ' + shown(row.kindsTitles));
      console.log('main thread up to the first 5 complete (wall time): ' + shown(row.kindsTop5));
      const oth = Object.entries(mid.other).sort((a, b) => b[1] - a[1]).slice(0, 6).filter(([, v]) => v >= 0.3);
      if (oth.length) console.log('  other, by trace event (median rep): ' + oth.map(([k, v]) => `${k} ${f1(v)}`).join(', '));
      console.log('requests (ms after submit: sent / first byte / done):');
      for (const r of row.timeline) console.log(`  ${f1(r.sent).padStart(6)} ${(r.first === undefined ? '-' : f1(r.first)).padStart(6)} ${(r.done === undefined ? '-' : f1(r.done)).padStart(6)}  ${r.path}`);
      if (args.timeline) {
        console.log('main-thread tasks and requests of the median rep (ms after submit; task: start +length (cpu) top functions):');
        const lines = mid.tasks.map((k) => [k.at, `  task ${f1(k.at).padStart(6)} +${f1(k.dur)} (${f1(k.cpu)})  ` +
          [...Object.entries(k.kinds).filter(([, v]) => v >= 0.1).map(([n, v]) => `[${n} ${f1(v)}]`),
            ...Object.entries(k.fns).sort((a, b) => b[1] - a[1]).slice(0, 5).filter(([, v]) => v >= 0.1).map(([n, v]) => `${n} ${f1(v)}`)].join(', ')]);
        for (const r of mid.timeline) lines.push([r.sent, `  sent ${f1(r.sent).padStart(6)}  ${r.path} (done ${r.done === undefined ? '-' : f1(r.done)})`]);
        for (const [, l] of lines.sort((a, b) => a[0] - b[0])) console.log(l);
      }
      console.log('JS self time by function (ms, to the first 5 complete):');
      for (const [n, v] of fns) if (v >= 0.1) console.log(`  ${f1(v).padStart(6)}  ${n}`);
    }
  }
}
await browser.close();
server.close();
if (args.json) fs.writeFileSync(args.json, JSON.stringify(all, null, 1));
