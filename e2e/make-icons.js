// make-icons.js renders static/icons/icon.svg to the PNG sizes the web app
// manifest needs (192 and 512 pixels, usable as "any" and "maskable": the
// symbol stays inside the central safe circle). Run it after editing the SVG:
//   node e2e/make-icons.js
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { CHROME_FLAGS, CHROMIUM, ROOT } = require('./harness');

(async () => {
  const dir = path.join(ROOT, 'static', 'icons');
  const svg = fs.readFileSync(path.join(dir, 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS });
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(`<style>html,body{margin:0}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    await page.screenshot({ path: path.join(dir, `icon-${size}.png`), clip: { x: 0, y: 0, width: size, height: size } });
    await page.close();
  }
  await browser.close();
})();
