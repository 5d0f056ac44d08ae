// Phone journeys in a real browser (Debian Chromium through playwright-core),
// for a left-to-right (Italian) and a right-to-left (Arabic) language: read a
// guide, tick its checklist, switch language, search, open the desks and the
// embed, send the contact form to the real function and a loopback SMTP
// server, and read a page again offline through the service worker.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { start, axe, shot } = require('./harness');

// guideWithChecklist returns the address of the first guide in lang whose own
// text (not an Italian fallback) has a "what you need" checklist.
function guideWithChecklist(site, lang) {
  const root = path.join(site, lang, 'guides');
  for (const topic of fs.readdirSync(root).sort()) {
    const dir = path.join(root, topic);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const g of fs.readdirSync(dir).sort()) {
      const f = path.join(dir, g, 'index.html');
      if (!fs.existsSync(f)) continue;
      const html = fs.readFileSync(f, 'utf8');
      if (html.includes('type="checkbox"') && !/<article lang=/.test(html)) return `/${lang}/guides/${topic}/${g}/`;
    }
  }
  throw new Error(`no ${lang} guide with a checklist in ${root}`);
}

async function noHorizontalScroll(page) {
  const { sw, w } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  assert.ok(sw <= w, `the page is ${sw}px wide on a ${w}px screen: it scrolls sideways`);
}

async function noAxeViolations(page, what) {
  const v = await axe(page);
  assert.deepEqual(v, [], `${what}: axe found WCAG 2.1 A/AA violations`);
}

const LANGS = [
  { lang: 'it', locale: 'it-IT', dir: 'ltr', other: 'ar' },
  { lang: 'ar', locale: 'ar', dir: 'rtl', other: 'it' },
];

let env;
before(async () => { env = await start(); });
after(async () => { if (env) await env.stop(); });

for (const L of LANGS) {
  describe(`phone, ${L.lang} (${L.dir})`, () => {
    let ctx, page, guide;
    before(async () => {
      ctx = await env.phone(L.locale);
      page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.errors = errors;
      guide = guideWithChecklist(env.site, L.lang);
    });
    after(async () => {
      assert.deepEqual(page.errors, [], 'scripts threw errors');
      await ctx.close();
    });

    it('reads a guide: summary, reviewed date, contents, steps, where to go, sources, feedback', async () => {
      const res = await page.goto(guide);
      assert.equal(res.status(), 200);
      assert.equal(await page.getAttribute('html', 'dir'), L.dir);
      assert.equal(await page.getAttribute('html', 'lang'), L.lang);
      for (const sel of ['article h1', 'article .summary', 'article .reviewed', 'section.where', 'p.useful a']) {
        assert.ok(await page.isVisible(sel), `${sel} is not visible`);
      }
      assert.match(await page.getAttribute('p.useful a', 'href'), new RegExp(`^/${L.lang}/contact/`));
      // Skip link: first tab stop, visible when focused, leads to main.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
      const box = await page.locator('.skip').boundingBox();
      assert.ok(box && box.width > 40 && box.height >= 40, 'focused skip link is not visible');
      await noHorizontalScroll(page);
      await shot(page, `${L.lang}-guide`);
      await page.screenshot({ path: path.join(require('./harness').SHOTS, `${L.lang}-guide-full.png`), fullPage: true });
      await noAxeViolations(page, 'guide');
    });

    it('ticks a checklist item and finds it ticked after a reload', async () => {
      await page.goto(guide);
      const boxes = page.locator('.body li > label > input[type=checkbox]');
      assert.ok(await boxes.count() > 1, 'the checklist was not made tickable');
      const first = boxes.nth(0);
      assert.equal(await first.isEnabled(), true);
      assert.equal(await first.isChecked(), false);
      // Tapping the text (the label), not the small box, ticks the item.
      await page.locator('.body li > label').nth(0).tap();
      assert.equal(await first.isChecked(), true);
      const h = await page.locator('.body li:has(> label > input[type=checkbox])').nth(0).boundingBox();
      assert.ok(h.height >= 44, `checklist row is ${h.height}px tall, under 44px`);
      await page.reload();
      assert.equal(await boxes.nth(0).isChecked(), true, 'tick lost after reload');
      assert.equal(await boxes.nth(1).isChecked(), false, 'an untouched item came back ticked');
      await shot(page, `${L.lang}-checklist`);
      await page.locator('.body li > label').nth(0).tap();
      await page.reload();
      assert.equal(await boxes.nth(0).isChecked(), false, 'untick lost after reload');
    });

    it('switches language with the menu, without JavaScript-only controls', async () => {
      await page.goto(guide);
      const menu = page.locator('nav.langs summary');
      assert.ok((await menu.boundingBox()).height >= 44, 'language menu button under 44px');
      await menu.tap();
      const link = page.locator(`nav.langs a[lang=${L.other}]`);
      assert.ok(await link.isVisible());
      assert.ok((await link.boundingBox()).height >= 44, 'language link under 44px');
      await shot(page, `${L.lang}-language-menu`);
      await noAxeViolations(page, 'open language menu');
      await Promise.all([page.waitForURL(`**/${L.other}/**`), link.tap()]);
      assert.equal(await page.getAttribute('html', 'lang'), L.other);
      assert.equal(new URL(page.url()).pathname, guide.replace(`/${L.lang}/`, `/${L.other}/`));
    });

    it('searches from the search page and opens a result', async () => {
      await page.goto(`/${L.lang}/search/`);
      const title = await (async () => {
        const p = await ctx.newPage();
        await p.goto(guide);
        const t = await p.textContent('article h1');
        await p.close();
        return t;
      })();
      const word = title.split(/[\s:,.'’()«»]+/).sort((a, b) => b.length - a.length)[0];
      await page.fill('#q-page', word);
      await Promise.all([page.waitForURL(/[?&]q=/), page.press('#q-page', 'Enter')]);
      const hit = page.locator('#search-results a').first();
      await hit.waitFor({ timeout: 10000 });
      const hrefs = await page.locator('#search-results a').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
      assert.ok(hrefs.includes(guide), `searching "${word}" did not list ${guide}: ${hrefs.join(' ')}`);
      await noHorizontalScroll(page);
      await shot(page, `${L.lang}-search`);
      await noAxeViolations(page, 'search results');
      await Promise.all([page.waitForURL((u) => u.pathname === hrefs[0]), hit.tap()]);
      assert.ok(await page.isVisible('h1'));
    });

    it('opens the desk list, a desk and the embed', async (t) => {
      const res = await page.goto(`/${L.lang}/desks/`);
      if (res.status() === 404) {
        t.skip(`/${L.lang}/desks/ answers 404: the desk pages are not built`);
        return;
      }
      assert.equal(res.status(), 200);
      await noHorizontalScroll(page);
      await shot(page, `${L.lang}-desks`);
      await noAxeViolations(page, 'desk list');
      const desk = page.locator(`.desks a[href^="/${L.lang}/desks/"]:not([href*="/service/"]):not([href*="/language/"])`).first();
      const deskURL = await desk.getAttribute('href');
      await Promise.all([page.waitForURL(`**${deskURL}`), desk.tap()]);
      assert.match(new URL(page.url()).pathname, new RegExp(`^/${L.lang}/desks/[^/]+/$`));
      assert.ok(await page.isVisible('article.desk h1'));
      await noHorizontalScroll(page);
      await shot(page, `${L.lang}-desk`);
      await noAxeViolations(page, 'desk page');
      const embed = L.lang === 'it' ? '/embed/desks/' : `/embed/desks/${L.lang}/`;
      const er = await page.goto(embed);
      assert.equal(er.status(), 200);
      assert.ok(await page.locator('.desk-entry').count() > 0, 'the embed lists no desk');
      await shot(page, `${L.lang}-embed`);
      await noAxeViolations(page, 'desk embed');
    });

    it('sends the contact form in place and the desk gets the e-mail', async () => {
      await page.goto(`/${L.lang}/contact/`);
      await shot(page, `${L.lang}-contact`);
      await noAxeViolations(page, 'contact form');
      // First with a reply address that is neither an e-mail nor a phone number.
      const options = page.locator('#f-desk option:not([value=""])');
      assert.ok(await options.count() > 0, 'the contact form lists no desk to write to');
      const desk = await options.first().getAttribute('value');
      const marker = `e2e-${L.lang}-${Date.now()}`;
      await page.selectOption('#f-desk', desk);
      await page.fill('#f-question', `Domanda di prova ${marker}\nSeconda riga.`);
      await page.fill('#f-name', L.lang === 'ar' ? 'سارة' : 'Sara');
      await page.fill('#f-reply', 'not an address or phone');
      await page.check('#f-consent');
      await page.waitForTimeout(3200); // the function's time trap: forms sent under 3 s are dropped
      await page.tap('form[data-contact] button[type=submit]');
      const status = page.locator('form[data-contact] .status');
      await status.locator('li').first().waitFor({ timeout: 10000 });
      assert.match(await status.getAttribute('class'), /\berr\b/);
      assert.equal(await page.getAttribute('#f-reply', 'aria-invalid'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'f-reply', 'focus did not move to the wrong field');
      await shot(page, `${L.lang}-contact-error`);
      await noAxeViolations(page, 'contact form with errors');

      await page.fill('#f-reply', 'sara@example.org');
      await page.tap('form[data-contact] button[type=submit]');
      await page.locator('form[data-contact] .status.ok').waitFor({ timeout: 15000 });
      assert.equal(await page.getAttribute('#f-reply', 'aria-invalid'), null);
      assert.equal(await page.inputValue('#f-question'), '', 'the form was not cleared after sending');
      assert.ok(new URL(page.url()).pathname.endsWith('/contact/'), 'the page changed instead of answering in place');
      await shot(page, `${L.lang}-contact-sent`);
      const deadline = Date.now() + 10000;
      while (!env.mail().includes(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(env.mail().includes(marker), 'the SMTP server did not receive the question');
      assert.ok(!env.mail().includes('[no-js]'), 'the message was marked as sent without JavaScript (no time stamp)');
    });

    it('reads a page again offline, with an "offline copy" notice, and never a stale copy online', async () => {
      // A new visitor: the first page read, before any service worker ran, is kept too.
      await ctx.close();
      ctx = await env.phone(L.locale);
      page = await ctx.newPage();
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(String(e)));
      await page.goto(guide);
      await page.evaluate(() => navigator.serviceWorker.ready);
      // The worker keeps pages read once it is active (and the pages open when it started).
      await page.waitForFunction(async (u) => {
        const c = await caches.open('portal-pages-v1');
        return !!(await c.match(u));
      }, guide, { timeout: 10000 });
      await ctx.setOffline(true);
      try {
        const res = await page.reload();
        assert.ok(res, 'no answer offline');
        assert.ok(await page.isVisible('article h1'), 'the guide is not shown offline');
        const notice = page.locator('.notice.offline');
        await notice.waitFor({ timeout: 5000 });
        assert.ok(await notice.locator('time').getAttribute('datetime'));
        // CSS and scripts still work offline (core assets cached).
        assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).fontFamily), 'Times New Roman');
        assert.ok(await page.locator('.body li > label > input[type=checkbox]').count() > 0, 'checklist script not available offline');
        await shot(page, `${L.lang}-offline`);
        await noAxeViolations(page, 'offline copy');
        await assert.rejects(page.goto(`/${L.lang}/privacy/?never-read`), 'an unread page was served offline');
      } finally {
        await ctx.setOffline(false);
      }
      // A new deploy changes the page: online, the reader gets the new text
      // at once, although an older copy is kept.
      const file = path.join(env.site, guide, 'index.html');
      const before = fs.readFileSync(file, 'utf8');
      const marker = `updated-${L.lang}-${Date.now()}`;
      fs.writeFileSync(file, before.replace('<h1>', `<h1 data-deploy="${marker}">`));
      try {
        await page.goto(guide);
        assert.equal(await page.getAttribute('h1', 'data-deploy'), marker, 'a stale copy was served while online');
        assert.equal(await page.locator('.notice.offline').count(), 0, 'offline notice shown while online');
        assert.equal(await page.getAttribute('html', 'data-offline-copy'), null, 'a kept copy was served while online');
      } finally {
        fs.writeFileSync(file, before);
      }
    });
  });
}

describe('phone without JavaScript', () => {
  let ctx, page;
  before(async () => {
    ctx = await env.browser.newContext({ ...require('./harness').PHONE, locale: 'it-IT', baseURL: env.base, javaScriptEnabled: false });
    page = await ctx.newPage();
  });
  after(async () => { await ctx.close(); });

  it('reads a guide, switches language and navigates', async () => {
    const guide = guideWithChecklist(env.site, 'it');
    await page.goto(guide);
    assert.ok(await page.isVisible('article h1'));
    // The checklist is still a readable list.
    assert.ok(await page.locator('.body li > input[type=checkbox]').count() > 0);
    await page.locator('nav.langs summary').tap();
    await Promise.all([page.waitForURL('**/ar/**'), page.locator('nav.langs a[lang=ar]').tap()]);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await Promise.all([page.waitForURL('**/ar/guides/'), page.locator('nav.main-nav a[href="/ar/guides/"]').tap()]);
    assert.ok(await page.locator('.cards a').count() > 0);
    await shot(page, 'nojs-ar-guides');
  });

  it('sends the contact form as a plain post and shows the "sent" page', async () => {
    await page.goto('/it/contact/');
    const desk = await page.locator('#f-desk option:not([value=""])').first().getAttribute('value');
    const marker = `e2e-nojs-${Date.now()}`;
    await page.selectOption('#f-desk', desk);
    await page.fill('#f-question', `Domanda senza JavaScript ${marker}`);
    await page.fill('#f-reply', '+39 333 000 0000');
    await page.check('#f-consent');
    await Promise.all([page.waitForURL('**/it/contact/sent/'), page.tap('form[data-contact] button[type=submit]')]);
    assert.ok(await page.isVisible('h1'));
    const deadline = Date.now() + 10000;
    while (!env.mail().includes(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(env.mail().includes(marker), 'the SMTP server did not receive the question');
    await shot(page, 'nojs-it-contact-sent');
  });
});
