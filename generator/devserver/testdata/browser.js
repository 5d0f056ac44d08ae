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
    const origin = new URL(url).origin;

    await page.goto(url);
    await waitFor('the event stream', async () => (await connections(origin)) >= 1);
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
    const scrollY = await page.evaluate(() => window.scrollY);
    if (scrollY === 0 && await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight + 40)) {
      problems.push('the scroll position was not kept across the reload');
    }
  } finally {
    await browser.close();
  }
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log('ok');
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
