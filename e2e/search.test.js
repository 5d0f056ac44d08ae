// The search page in a real browser (Debian Chromium), on a phone, in an
// LTR and an RTL language: a page opened with a query (as the header box
// sends it) shows its results without moving anything on the screen, even
// when the index arrives long after the first paint, and a second query
// typed on the page replaces them.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { if (env) await env.stop(); });

for (const [lang, q, q2] of [['it', 'permesso', 'cittadinanza'], ['ar', 'الإقامة', 'الجنسية']]) {
  describe(`search page, ${lang}`, () => {
    let ctx;
    before(async () => {
      ctx = await env.phone(lang === 'ar' ? 'ar' : 'it-IT');
      await ctx.addInitScript(() => {
        window.__shifts = [];
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) {
            window.__shifts.push({ value: e.value, input: e.hadRecentInput, what: e.sources.map((s) => s.node ? (s.node.id || s.node.className || s.node.nodeName) : '?').join(',') });
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      // The index files arrive 400 ms late: results come well after the
      // fallback list could have been painted.
      await ctx.route('**/search/**/*.json', async (route) => {
        await new Promise((r) => setTimeout(r, 400));
        await route.continue();
      });
    });
    after(async () => { await ctx.close(); });

    it('opened with a query: results without layout shift', async () => {
      const page = await ctx.newPage();
      try {
        await page.goto(`/${lang}/search/?q=${encodeURIComponent(q)}`);
        await page.waitForSelector('#search-results .search-hit');
        await page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false');
        assert.equal(await page.isVisible('#search-fallback'), false, 'the fallback list is still shown beside the results');
        assert.equal(await page.isVisible('.search-more'), await page.evaluate(() => !document.querySelector('.search-more').hidden),
          'the "more" button shows although it is hidden (or the reverse)');
        const shifts = await page.evaluate(() => window.__shifts);
        const cls = shifts.filter((s) => !s.input).reduce((a, s) => a + s.value, 0);
        assert.ok(cls < 0.01, `layout shift ${cls.toFixed(3)} while the results arrived: ${JSON.stringify(shifts)}`);

        // A new query typed on the page replaces the results.
        const first = await page.locator('.search-hit a').first().getAttribute('href');
        await page.fill('main input[name="q"]', q2);
        await page.press('main input[name="q"]', 'Enter');
        await page.waitForFunction((old) => {
          const a = document.querySelector('.search-hit a');
          return a && a.getAttribute('href') !== old && document.getElementById('search-results').getAttribute('aria-busy') === 'false';
        }, first);
        assert.match(page.url(), new RegExp(`[?&]q=${encodeURIComponent(q2).replace(/%/g, '%')}`));
      } finally {
        await page.close();
      }
    });
  });
}

// The first results show their titles and links as soon as the term
// chunks are in (the titles table came with the manifest); each hit's
// section and highlighted excerpt follow with its fragment file, into the
// room kept for them, so nothing moves.
describe('search page: titles first, excerpts after', () => {
  let ctx;
  before(async () => {
    ctx = await env.phone('it-IT');
    await ctx.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
      }).observe({ type: 'layout-shift', buffered: true });
    });
    // Fragment files (f/<page>.<hash>.json, not the titles table
    // f/t.<hash>.json) arrive 1.5 s late.
    await ctx.route(/\/search\/f\/\d+\.[0-9a-f]+\.json$/, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
  });
  after(async () => { await ctx.close(); });

  it('titles and links while the fragments download, then sections and excerpts in place', async () => {
    const page = await ctx.newPage();
    try {
      await page.goto('/it/search/');
      await page.waitForFunction(() => document.querySelector('#search-results .search-status'));
      await page.waitForTimeout(300); // the manifest and the titles table load
      await page.fill('main input[name="q"]', 'permesso');
      await page.press('main input[name="q"]', 'Enter');
      await page.waitForSelector('.search-hit');
      const early = await page.evaluate(() => [...document.querySelectorAll('.search-hit')].map((li) => ({
        pending: li.classList.contains('search-pending'),
        href: li.querySelector('a.search-title').getAttribute('href'),
        title: li.querySelector('a.search-title').textContent,
        marked: !!li.querySelector('a.search-title mark'),
        excerpt: li.querySelector('.search-excerpt').textContent,
        top: li.getBoundingClientRect().top,
      })));
      assert.ok(early.length >= 2, `${early.length} hits shown`);
      for (const h of early) {
        assert.ok(h.pending && h.excerpt === '', `hit ${h.href} is complete before its fragment could arrive`);
        assert.match(h.href, /^\/it\/.+\/$/, 'a hit links to its page before its fragment arrives');
        assert.ok(h.title.length > 0, 'a hit has no title');
      }
      assert.ok(early.some((h) => h.marked), 'no title highlights the query word');
      await page.waitForFunction(() => !document.querySelector('.search-pending') &&
        document.getElementById('search-results').getAttribute('aria-busy') === 'false');
      const late = await page.evaluate(() => [...document.querySelectorAll('.search-hit')].map((li) => ({
        href: li.querySelector('a.search-title').getAttribute('href'),
        excerpt: li.querySelector('.search-excerpt').textContent,
        marked: !!li.querySelector('.search-excerpt mark, .search-section mark'),
        top: li.getBoundingClientRect().top,
      })));
      assert.ok(late.some((h) => h.excerpt.length > 20 && h.marked), 'no excerpt highlights the query word');
      for (let i = 0; i < early.length; i++) {
        assert.ok(late[i].href.startsWith(early[i].href), `hit ${i} changed page: ${early[i].href} -> ${late[i].href}`);
        assert.ok(Math.abs(late[i].top - early[i].top) < 1, `hit ${i} moved from ${early[i].top} to ${late[i].top} when its excerpt came`);
      }
      const cls = (await page.evaluate(() => window.__shifts)).reduce((a, b) => a + b, 0);
      assert.ok(cls < 0.01, `layout shift ${cls.toFixed(3)}`);
    } finally {
      await page.close();
    }
  });
});

// Enter in the box runs the search from the key press: the form is not
// submitted (the browser's form submission would cost the query its
// time), and an Enter that confirms an input method's composition (as in
// Chinese) runs nothing. The button still submits the form.
describe('search page: Enter and the button', () => {
  let ctx;
  before(async () => { ctx = await env.phone('zh-CN'); });
  after(async () => { await ctx.close(); });

  it('Enter searches without submitting the form; Enter while composing does not search', async () => {
    const page = await ctx.newPage();
    try {
      await page.goto('/zh/search/');
      await page.waitForFunction(() => document.querySelector('#search-results .search-status'));
      await page.evaluate(() => {
        window.__submits = 0;
        document.addEventListener('submit', () => { window.__submits++; }, true);
      });
      // An input method confirming a candidate: keydown Enter with
      // isComposing (dispatched by script, as no real IME runs here). A
      // search starts at once (aria-busy="true") or not at all. The value
      // is set without an input event, so that typing starts nothing.
      const busy = await page.evaluate(() => {
        const input = document.querySelector('main input[name="q"]');
        input.value = '居留';
        input.focus();
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
        return document.getElementById('search-results').getAttribute('aria-busy');
      });
      assert.notEqual(busy, 'true', 'an Enter confirming a composition ran the search');
      assert.equal(await page.locator('.search-hit').count(), 0);
      await page.press('main input[name="q"]', 'Enter');
      await page.waitForFunction(() => document.querySelector('.search-hit') &&
        document.getElementById('search-results').getAttribute('aria-busy') === 'false');
      assert.equal(await page.evaluate(() => window.__submits), 0, 'Enter submitted the form');
      assert.equal(new URL(page.url()).searchParams.get('q'), '居留');
      // The button submits the form, which the client turns into a search.
      await page.fill('main input[name="q"]', '国籍');
      await page.click('main form[data-search] button');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '国籍' &&
        document.getElementById('search-results').getAttribute('aria-busy') === 'false');
      assert.equal(await page.evaluate(() => window.__submits), 1, 'the button did not submit the form once');
      assert.ok(await page.locator('.search-hit').count() > 0, 'no results after the button');
    } finally {
      await page.close();
    }
  });
});

// Without the titles table (it failed to download), a query still shows
// its results, each complete once its fragment is in.
describe('search page: no titles table', () => {
  let ctx;
  before(async () => {
    ctx = await env.phone('it-IT');
    await ctx.route(/\/search\/f\/t\.[0-9a-f]+\.json$/, (route) => route.abort());
  });
  after(async () => { await ctx.close(); });

  it('results come from the fragments alone', async () => {
    const page = await ctx.newPage();
    try {
      await page.goto('/it/search/?q=permesso');
      await page.waitForFunction(() => document.querySelector('.search-hit') &&
        document.getElementById('search-results').getAttribute('aria-busy') === 'false');
      const hits = await page.evaluate(() => [...document.querySelectorAll('.search-hit')].map((li) => ({
        pending: li.classList.contains('search-pending'),
        href: li.querySelector('a.search-title').getAttribute('href'),
        excerpt: li.querySelector('.search-excerpt').textContent,
      })));
      assert.ok(hits.length >= 2, `${hits.length} hits`);
      for (const h of hits) {
        assert.ok(!h.pending, `hit ${h.href} still pending`);
        assert.match(h.href, /^\/it\/.+\/(#.+)?$/);
      }
      assert.ok(hits.some((h) => h.excerpt.length > 20), 'no excerpt');
      assert.doesNotMatch(await page.textContent('.search-status'), /non è disponibile|not available/i);
    } finally {
      await page.close();
    }
  });
});

// Offline: the service worker (layouts/sw.js) keeps each language's
// manifest, and the browser's HTTP cache the immutable chunk and fragment
// files, so a query made before answers again with its excerpts; once the
// files are gone from the cache, the query says that search is not
// available. Online, hits whose fragment files cannot be fetched keep
// their titles and links. No page errors.
describe('search page offline', () => {
  let ctx;
  before(async () => { ctx = await env.phone('it-IT'); });
  after(async () => { await ctx.close(); });

  const settled = (page) => page.waitForFunction(() => document.querySelector('.search-status') &&
    document.getElementById('search-results').getAttribute('aria-busy') === 'false' &&
    !document.querySelector('.search-pending'), null, { timeout: 10000 });
  const hits = (page) => page.evaluate(() => [...document.querySelectorAll('.search-hit')].map((li) => ({
    href: li.querySelector('a.search-title').getAttribute('href'),
    title: li.querySelector('a.search-title').textContent,
    excerpt: li.querySelector('.search-excerpt').textContent,
  })));
  // underWorker opens the home page and waits until the service worker
  // controls it (and so the pages opened after it).
  const underWorker = async (page) => {
    await page.goto('/it/');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 10000 });
  };
  const open = async () => {
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    return { page, errors };
  };

  it('answers a query made before; without its files, says search is not available', async () => {
    const { page, errors } = await open();
    try {
      // A reader opens the site, then the search page once the worker runs.
      await underWorker(page);
      await page.goto('/it/search/?q=permesso');
      await settled(page);
      const online = await hits(page);
      assert.ok(online.length >= 2, `${online.length} hits online`);
      assert.ok(online.every((h) => h.excerpt.length > 0), 'a hit has no excerpt online');
      await page.waitForFunction(async () => !!(await (await caches.open('portal-search-v1')).match('/search/it/manifest.json')) &&
        !!(await (await caches.open('portal-pages-v1')).match('/it/search/')), null, { timeout: 10000 });

      await ctx.setOffline(true);
      try {
        await page.reload();
        await settled(page);
        assert.deepEqual(await hits(page), online, 'offline, the same query gave other hits or excerpts');
        assert.doesNotMatch(await page.textContent('.search-status'), /non è disponibile/i);

        // The browser dropped its HTTP cache: the chunks are gone.
        const cdp = await ctx.newCDPSession(page);
        await cdp.send('Network.clearBrowserCache');
        await cdp.detach();
        await page.reload();
        const msg = await page.getAttribute('#search-results', 'data-error');
        assert.ok(msg);
        await page.waitForFunction((m) => document.querySelector('.search-status') &&
          document.querySelector('.search-status').textContent === m, msg, { timeout: 10000 });
        assert.equal(await page.locator('.search-hit').count(), 0);
      } finally {
        await ctx.setOffline(false);
      }
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  // The worker routes the immutable chunk and fragment files past itself
  // (static routing, layouts/sw.js): Chromium then reports the network as
  // both the matched and the final source of each, where a request sent
  // through the worker's fetch handler first reports none.
  it('sends chunk and fragment requests past the service worker', async () => {
    const { page, errors } = await open();
    try {
      await underWorker(page);
      await page.goto('/it/search/?q=permesso+soggiorno');
      await settled(page);
      assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), 'the search page is not controlled by the worker');
      const seen = await page.evaluate(() => performance.getEntriesByType('resource')
        .filter((e) => /\/search\/[tf]\//.test(e.name))
        .map((e) => ({ file: e.name.replace(/^.*\/search\//, ''), matched: e.workerMatchedSourceType, final: e.workerFinalSourceType })));
      assert.ok(seen.some((s) => s.file.startsWith('t/')) && seen.some((s) => /^f\/\d/.test(s.file)), `no chunk or fragment fetched: ${JSON.stringify(seen)}`);
      for (const s of seen) {
        assert.equal(s.matched, 'network', `${s.file} went through the worker (matched source ${JSON.stringify(s.matched)})`);
        assert.equal(s.final, 'network', `${s.file}: final source ${JSON.stringify(s.final)}`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  it('keeps the titles and links of hits whose fragments cannot be fetched', async () => {
    const { page, errors } = await open();
    try {
      await page.goto('/it/search/?q=permesso');
      await settled(page);
      const full = await hits(page);
      await page.route(/\/search\/f\/\d+\.[0-9a-f]+\.json$/, (route) => route.abort());
      await page.reload();
      await settled(page);
      const bare = await hits(page);
      assert.deepEqual(bare.map((h) => h.href), full.map((h) => h.href.split('#')[0]), 'without fragments, the hits changed');
      assert.deepEqual(bare.map((h) => h.title), full.map((h) => h.title));
      assert.ok(bare.every((h) => h.excerpt === ''), 'an excerpt came from nowhere');
      assert.doesNotMatch(await page.textContent('.search-status'), /non è disponibile/i);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
