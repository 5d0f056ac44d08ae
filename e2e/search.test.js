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
