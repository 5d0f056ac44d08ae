// Shared set-up for the browser tests: builds the site, starts a loopback
// SMTP server (Debian's python3-aiosmtpd) and the site server (e2e/server:
// netlify.toml headers and redirects, the contact function, /sw.js), and
// launches Debian's Chromium through playwright-core on a phone viewport.
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const SHOTS = path.join(ARTIFACTS, 'screenshots');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const PYTHON = '/usr/bin/python3';

// Flags that work for Debian's Chromium on this kind of machine (see
// shared/notes/ECOSYSTEM.md §e).
const CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A mid-range Android phone.
const PHONE = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

const TEST_DESK = `---
title: "Sportello di prova (test automatici)"
description: "Sportello fittizio usato solo dai test del browser."
municipality: "Rho"
province: "MI"
email: "sportello-prova@example.org"
services: [permit-renewal]
---
Sportello fittizio: esiste solo nella build dei test.
`;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function need(file, hint) {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: ${hint}`);
}

// waitFor resolves when pred(text so far) is true for the output of child.
function waitForOutput(child, pred, what, ms = 60000) {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what}: no sign of life after ${ms} ms; output:\n${out}`)), ms);
    const on = (d) => {
      out += d;
      const m = pred(out);
      if (m) { clearTimeout(timer); resolve(m); }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited with ${code}:\n${out}`)); });
  });
}

// start builds the site and starts every server; call stop() afterwards.
async function start() {
  need(CHROMIUM, 'install it with "apt-get install -y chromium" (or run .ci/browser.sh)');
  need(PYTHON, 'install python3 (Debian)');
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    throw new Error('playwright-core is missing: run "npm ci" (or .ci/browser.sh)');
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-'));
  const sitePort = await freePort();
  const smtpPort = await freePort();
  const base = `http://127.0.0.1:${sitePort}`;
  const site = path.join(tmp, 'site');
  const data = path.join(tmp, 'contact.json');
  // The published desks have no verified e-mail address yet, so the form
  // would offer none: the test build adds one fictitious desk whose address
  // is at example.org, and the loopback SMTP server receives its mail.
  const content = path.join(tmp, 'content');
  fs.cpSync(path.join(ROOT, 'content'), content, { recursive: true });
  fs.writeFileSync(path.join(content, 'desks', 'e2e-sportello-di-prova.md'), TEST_DESK);
  execFileSync('go', ['run', './cmd/portal', 'build', '--content', content, '--out', site, '--function-data', data, '--base-url', base],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const server = path.join(tmp, 'e2e-server');
  execFileSync('go', ['build', '-o', server, './e2e/server'], { cwd: ROOT, stdio: 'inherit' });

  const procs = [];
  const smtp = spawn(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`],
    { env: { ...process.env, PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(smtp);
  let mail = '';
  smtp.stdout.on('data', (d) => { mail += d; });
  await waitUntilListening(smtpPort, 'aiosmtpd');

  const srv = spawn(server, ['-dir', site, '-data', data, '-addr', `127.0.0.1:${sitePort}`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CONTACT_SMTP_HOST: '127.0.0.1',
      CONTACT_SMTP_PORT: String(smtpPort),
      CONTACT_SMTP_INSECURE: '1',
      CONTACT_FROM: 'portale-test@example.org',
    },
  });
  procs.push(srv);
  await waitForOutput(srv, (o) => o.includes('listening on '), 'e2e server');

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS });
  return {
    base, site, browser,
    mail: () => mail,
    async phone(locale) {
      return browser.newContext({ ...PHONE, locale, baseURL: base });
    },
    async stop() {
      await browser.close().catch(() => {});
      for (const p of procs) p.kill('SIGTERM');
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

async function waitUntilListening(port, what, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`${what} is not listening on port ${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const AXE_SOURCE = (() => {
  try { return fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'); } catch (e) { return null; }
})();

// axe runs axe-core's WCAG 2.0/2.1 A and AA rules on the page and returns the
// violations, each as "rule: help (selectors)". The source is evaluated, not
// added as a script tag, because the site's CSP forbids inline scripts.
async function axe(page) {
  if (!AXE_SOURCE) throw new Error('axe-core is missing: run "npm ci"');
  await page.evaluate(AXE_SOURCE);
  const res = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  return res.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
}

async function shot(page, name) {
  const file = path.join(SHOTS, name + '.png');
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

module.exports = { start, axe, shot, ROOT, ARTIFACTS, SHOTS, CHROME_FLAGS, CHROMIUM, PHONE };
