// Browser test of the live reload and the error overlay, driven by
// TestBrowser (go test -run Browser -browser /usr/bin/chromium).
//
//   node browser.js CHROMIUM URL GUIDE_FILE
//
// It opens URL (a guide page), breaks GUIDE_FILE's front matter, expects the
// error dialog listing "visto.it.md:4" (styled, focused, under the page's
// CSP), fixes the file, and expects the page to reload with the new text and
// no dialog. Any console error (a CSP violation included) fails the test.
'use strict';
const fs = require('node:fs');
const { chromium } = require('playwright-core');

const [, , browserPath, url, guideFile] = process.argv;

const good = (body) => `---
title: "Il visto"
description: "Una guida di prova."
reviewed: 2026-11-22
sources:
  - text: "D.Lgs. 286/1998, art. 4"
---
${body}
`;

async function waitFor(what, fn, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) {
      return v;
    }
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function connections(origin) {
  const res = await fetch(origin + '/__portal/status');
  return (await res.json()).connections;
}

async function main() {
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') {
        problems.push('console: ' + m.text());
      }
    });
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) {
        problems.push(`HTTP ${r.status()} for ${r.url()}`);
      }
    });
    const origin = new URL(url).origin;

    await page.goto(url);
    // A second tab on the home page, which a guide edit does not change.
    const home = await browser.newPage();
    await home.goto(origin + '/it/');
    await home.evaluate(() => { window.portalMarker = 'not reloaded'; });
    await waitFor('the event streams', async () => (await connections(origin)) >= 2);
    await page.evaluate(() => window.scrollTo(0, 40));

    // 1. A broken front matter: the dialog lists the error; the page stays.
    fs.writeFileSync(guideFile, good('ROTTA.').replace('reviewed: 2026-11-22', 'reviewed: domani'));
    const dialog = page.locator('dialog.portal-overlay');
    await dialog.waitFor({ state: 'visible', timeout: 30000 });
    const text = await dialog.innerText();
    if (!text.includes('visto.it.md:4')) {
      problems.push(`the dialog does not list visto.it.md:4:\n${text}`);
    }
    const info = await page.evaluate(() => {
      const d = document.querySelector('dialog.portal-overlay');
      return {
        role: d.getAttribute('role'),
        labelled: document.getElementById(d.getAttribute('aria-labelledby'))?.textContent,
        focused: document.activeElement?.id,
        position: getComputedStyle(d).position,
        inlineStyles: document.querySelectorAll('[style]').length,
        body: document.body.innerText,
      };
    });
    if (info.role !== 'alertdialog' || !info.labelled) {
      problems.push(`dialog role ${info.role}, label ${info.labelled}`);
    }
    if (info.focused !== 'portal-overlay-title') {
      problems.push(`focus is on #${info.focused}, want the dialog's heading`);
    }
    if (info.position !== 'fixed') {
      problems.push(`dialog position ${info.position}: overlay.css was not applied`);
    }
    if (info.inlineStyles !== 0) {
      problems.push(`${info.inlineStyles} elements have inline styles`);
    }
    if (!info.body.includes('PRIMA VERSIONE')) {
      problems.push('the last good page is no longer shown under the dialog');
    }

    // 2. The fix: the page reloads with the new text and no dialog.
    fs.writeFileSync(guideFile, good('Corretta. VERSIONE CORRETTA.'));
    await page.waitForFunction(() => document.body.innerText.includes('VERSIONE CORRETTA.'), null, { timeout: 30000 });
    if (await dialog.count() !== 0) {
      problems.push('the dialog is still there after the fix');
    }
    if (await home.evaluate(() => window.portalMarker) !== 'not reloaded') {
      problems.push('the home page reloaded although the update did not change it');
    }
    const scrollY = await page.evaluate(() => window.scrollY);
    if (scrollY === 0 && await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight + 40)) {
      problems.push('the scroll position was not kept across the reload');
    }
  } finally {
    await browser.close();
  }
  // sw-register.js registers /sw.js, which the build may not write yet: the
  // browser then logs a 404 for the worker script that names no URL. That
  // is the build's business, not the preview's; report it without failing.
  const sw = await fetch(new URL(url).origin + '/sw.js').catch(() => null);
  const swMissing = sw && sw.status === 404;
  const real = problems.filter((p) => !(swMissing && p.includes('when fetching the script')));
  if (real.length !== problems.length) {
    console.log('note: /sw.js is missing from the built site (404)');
  }
  if (real.length) {
    console.error(real.join('\n'));
    process.exit(1);
  }
  console.log('ok');
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
