// What bench/search/browser.mjs and bench/search/trace.mjs share: the
// static server (server.mjs, in a child process), the browser and the
// portal's query driver.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer, parseOverrides } from './server.mjs';

// The queries: [name, language, cold query, warm query].
export const QUERIES = [
  ['it one word', 'it', 'cittadinanza', 'residenza'],
  ['it two words', 'it', 'permesso soggiorno', 'codice fiscale'],
  // Not "الجنسية": desks list citizenship among their services, and the
  // corpus's desk pages (tiny fragments) then fill the first results.
  ['ar', 'ar', 'تأشيرة', 'الضريبي'],
  ['zh', 'zh', '国籍', '税号'],
];

// startServer serves site on 127.0.0.1 (see server.mjs). By default the
// server runs in a child process: in the driver's own process its
// responses would wait for the driver's event loop, busy with the
// DevTools protocol while the browser works, which added 10-25 ms to a
// request's first byte that no CDN adds. inproc runs it in this process,
// as the bench did before, for comparison. It resolves to {base, take,
// close}: take() resolves to the responses logged since the last take
// ({path, bytes, status}, bytes as sent on the wire). overrides maps a
// path (or "search.js") to a file served in its place (server.mjs).
export async function startServer(site, mode = 'child', overrides = {}) {
  if (mode === 'inproc') {
    const server = createServer(site, overrides);
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    return {
      base: `http://127.0.0.1:${server.address().port}`,
      take: async () => { const log = server.log; server.log = []; return log; },
      close: () => server.close(),
    };
  }
  if (mode !== 'child') throw new Error(`startServer: mode ${mode}: want child or inproc`);
  const child = fork(fileURLToPath(new URL('./server.mjs', import.meta.url)), [site, ...Object.entries(overrides).map(([p, f]) => `${p}=${f}`)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  let next = 0;
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with status ${code} before listening`)));
    child.on('message', (m) => {
      if (m.port) resolve(m.port);
      else if (waiting.has(m.id)) { waiting.get(m.id).resolve(m.log); waiting.delete(m.id); }
    });
  });
  child.removeAllListeners('exit');
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`bench server exited with status ${code}`));
    waiting.clear();
  });
  return {
    base: `http://127.0.0.1:${port}`,
    take: () => new Promise((resolve, reject) => {
      if (!child.connected) { reject(new Error('bench server: not running')); return; }
      const id = next++;
      waiting.set(id, { resolve, reject });
      child.send({ take: id });
    }),
    close: () => { child.disconnect(); },
  };
}

// parseClient reads a --client argument: NAME=FILE (FILE served as the
// search client) or NAME=PATH=FILE,PATH=FILE... (each FILE served in
// place of the site's PATH; "search.js" is the client). It returns
// {name, overrides}, or throws saying what is wrong.
export function parseClient(arg) {
  const i = arg.indexOf('=');
  const name = arg.slice(0, i), rest = arg.slice(i + 1);
  const overrides = i <= 0 ? null : rest.includes('=') ? parseOverrides(rest.split(',')) : parseOverrides(['search.js=' + rest]);
  if (!overrides) throw new Error(`--client ${arg}: want NAME=FILE or NAME=PATH=FILE[,PATH=FILE...] with existing files`);
  return { name, overrides };
}

export function launch(executablePath = '/usr/bin/chromium') {
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// newPage opens a fresh context (empty cache) on a phone viewport, with
// CPU throttling when throttle > 1; cdp is its DevTools session. The
// site's service worker registers and takes control as it would for a
// visitor, unless sw is false.
export async function newPage(browser, throttle, sw = true) {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, serviceWorkers: sw ? 'allow' : 'block' });
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
// trigger "submit" (the default) starts the query with
// form.requestSubmit() and the clock just before; "enter" presses the
// Enter key in the box, as a person does, and starts the clock at the
// key event's time stamp. Either way the query is in the box, and drawn,
// before the clock starts, as for a person who typed it: before, the
// clock also ran while the browser laid out and drew the text the bench
// had just put in the box (~1 ms of style and layout in requestSubmit,
// and a frame among the first requests), work a person's typing does
// before the submit and Pagefind's timing (from pagefind.search) leaves
// out.
export async function oursQuery(page, q, trigger = 'submit') {
  if (trigger !== 'submit' && trigger !== 'enter') throw new Error(`oursQuery: trigger ${trigger}: want submit or enter`);
  await page.evaluate(async ([q, trigger]) => {
    const form = document.querySelector('main form[data-search]') || document.querySelector('form[data-search]');
    const input = form.querySelector('input[name="q"]');
    const out = document.getElementById('search-results');
    const list = out.querySelector('.search-list');
    list.textContent = '';
    input.value = q;
    if (trigger === 'enter') input.focus();
    // One frame drawn with the query in the box, then a task later.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const done = () => out.getAttribute('aria-busy') === 'false' && out.querySelector('.search-hit');
    let titles = 0, top5 = 0, t0 = 0;
    let started;
    const start = new Promise((r) => { started = r; });
    window.__benchQuery = start.then(() => new Promise((resolve, reject) => {
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
        if (done()) {
          mo.disconnect();
          resolve({ titlesMs: titles, ms: top5, allMs: performance.now() - t0, shown: out.querySelectorAll('.search-hit').length, status: out.querySelector('.search-status').textContent });
        }
      };
      const mo = new MutationObserver(check);
      mo.observe(out, { subtree: true, childList: true, attributes: true });
      setTimeout(() => { mo.disconnect(); reject(new Error('no results for ' + q)); }, 30000);
    }));
    if (trigger === 'enter') {
      // The time starts when the browser took the key press (the
      // event's timeStamp), before any listener ran.
      window.addEventListener('keydown', (e) => {
        t0 = e.timeStamp;
        performance.mark('search-start', { startTime: t0 });
        started();
      }, { capture: true, once: true });
      return;
    }
    performance.mark('search-start');
    t0 = performance.now();
    started();
    form.requestSubmit();
  }, [q, trigger]);
  if (trigger === 'enter') await page.keyboard.press('Enter');
  return page.evaluate(() => window.__benchQuery);
}

// openOurs loads the portal's search page in lang and waits settle ms.
export async function openOurs(page, base, lang, settle) {
  await page.goto(`${base}/${lang}/search/`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelector('#search-results .search-status'));
  await page.waitForTimeout(settle);
}

export const sum = (xs) => xs.reduce((a, b) => a + b, 0);
export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
