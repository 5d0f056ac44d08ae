// The one-line desk embed on a partner's site, in a real browser: a page on
// another origin loads embed.js, which inserts the portal's desk list in an
// iframe filtered by municipality and sized to its content (no fixed height,
// no inner scrollbar); the same partner page cannot frame an ordinary portal
// page (frame-ancestors 'none').
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { start, shot } = require('./harness');

let env, partner, partnerURL;

before(async () => {
  env = await start();
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Partner municipality</title>
<style>body{font:16px serif;margin:1rem} iframe{outline:2px solid red} .desk-entry{display:none}</style></head>
<body><h1>Comune partner</h1><p>Our page, our styles.</p>
<script src="${env.base}/embed/embed.js" data-desks data-municipality="Rho" data-lang="en" async></script>
<p id="after">Text after the embed.</p>
<iframe id="forbidden" title="an ordinary portal page" src="${env.base}/it/" width="300" height="200"></iframe>
</body></html>`;
  partner = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise((resolve) => partner.listen(0, '127.0.0.1', resolve));
  // "localhost" is another origin than the portal's 127.0.0.1.
  partnerURL = `http://localhost:${partner.address().port}/`;
});

after(async () => {
  if (partner) partner.close();
  if (env) await env.stop();
});

describe('desk embed on a third-party page', () => {
  it('shows the filtered list, sized to its content, and frames nothing else', async () => {
    const ctx = await env.phone('en-GB');
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(partnerURL);

    const iframe = page.locator(`iframe[src^="${env.base}/embed/desks/"]`);
    await iframe.waitFor({ state: 'attached', timeout: 15000 });
    const frame = await (await iframe.elementHandle()).contentFrame();
    await frame.waitForFunction(() => [...document.querySelectorAll('.desk-entry')].some((e) => e.offsetParent !== null), null, { timeout: 15000 });

    // Only the desks of Rho are shown, in English, and the partner's CSS
    // (which hides .desk-entry) does not reach inside the embed.
    const shown = await frame.$$eval('.desk-entry', (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.getAttribute('data-municipality')));
    const all = await frame.$$eval('.desk-entry', (els) => els.length);
    assert.ok(shown.length > 0, 'no desk is visible in the embed');
    assert.ok(shown.length < all, `the filter hid nothing (${shown.length} of ${all})`);
    for (const m of shown) assert.equal(m, 'Rho', `a desk of ${m} is shown`);
    assert.equal(await frame.getAttribute('html', 'lang'), 'en');

    // The iframe grows to its content: no inner scrollbar, no fixed height.
    await page.waitForFunction((base) => {
      const f = document.querySelector(`iframe[src^="${base}/embed/desks/"]`);
      return f && f.style.height && f.style.height !== '480px';
    }, env.base, { timeout: 15000 });
    const outer = await iframe.evaluate((f) => f.getBoundingClientRect().height);
    const inner = await frame.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(Math.abs(outer - inner) <= 4, `iframe is ${outer}px tall for ${inner}px of content`);
    assert.ok(await page.isVisible('#after'), 'the partner page text after the embed is hidden');

    // An ordinary portal page refuses to be framed by the partner.
    const forbidden = page.frames().find((f) => f.parentFrame() && f !== frame);
    assert.ok(forbidden, 'the second iframe is missing');
    await page.waitForTimeout(500);
    assert.ok(!forbidden.url().startsWith(env.base) || (await forbidden.$('main')) === null,
      `an ordinary page (${forbidden.url()}) was framed by another site`);

    await shot(page, 'embed-on-partner-page');
    assert.deepEqual(errors, [], 'scripts threw errors on the partner page');
    await ctx.close();
  });
});
