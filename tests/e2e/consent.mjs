// SPDX-License-Identifier: GPL-3.0-or-later
//
// The "system browser" of the end-to-end link test. A temporary XDG_DATA_HOME registers a
// desktop file running this script as the x-scheme-handler/http handler, so the app opens
// the authorize URL exactly as it would on a user's desktop. It drives Debian's Chromium:
// opens the URL, clicks Allow on the consent page and waits for the app's loopback page.
//
//   node consent.mjs URL
//
// FULCRUM_E2E_OUT (a folder) receives consent.png, done.png and status.json.

import { chromium } from 'playwright-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.argv[2];
const out = process.env.FULCRUM_E2E_OUT || mkdtempSync(join(tmpdir(), 'fulcrum-e2e-'));
const decision = process.env.FULCRUM_E2E_DECISION || 'allow';
const status = { url, decision, ok: false };

function finish (code) {
  writeFileSync(join(out, 'status.json'), JSON.stringify(status));
  process.exit(code);
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: process.env.FULCRUM_E2E_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.goto(url, { timeout: 30000 });
  status.consent_title = await page.title();
  status.consent_text = (await page.textContent('body')).replace(/\s+/g, ' ').trim().slice(0, 500);
  await page.screenshot({ path: join(out, 'consent.png'), fullPage: true });

  await Promise.all([
    page.waitForURL(u => u.hostname === '127.0.0.1' || u.hostname === '[::1]', { timeout: 30000 }),
    page.click(`button[name="decision"][value="${decision}"]`),
  ]);
  await page.waitForLoadState('load');
  status.final_url_path = new URL(page.url()).pathname;
  status.final_text = (await page.textContent('body')).replace(/\s+/g, ' ').trim().slice(0, 500);
  await page.screenshot({ path: join(out, 'done.png'), fullPage: true });
  status.ok = true;
} catch (e) {
  status.error = String(e && e.message || e).slice(0, 1000);
} finally {
  if (browser)
    await browser.close();
}
finish(status.ok ? 0 : 1);
