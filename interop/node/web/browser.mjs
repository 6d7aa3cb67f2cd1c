// Headless Chromium (the system browser, driven by playwright-core) for the page scenarios: one browser,
// as many isolated contexts (own cookies, own IndexedDB) as a scenario needs, page console lines on
// stderr, and screenshots into WEFT_SCREENSHOT_DIR.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { onExit, required, step } from '../harness.mjs';

export const base = required('WEFT_BASE_URL'); // http://127.0.0.1:PORT
const screenshots = required('WEFT_SCREENSHOT_DIR');
mkdirSync(screenshots, { recursive: true });

export async function launch() {
  step('launch chromium');
  const browser = await chromium.launch({
    executablePath: process.env.WEFT_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  onExit(() => browser.close());
  return browser;
}

/** A new isolated context with one page, its console and errors reported as `label`. */
export async function openPage(browser, label, path) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (msg) => console.error(`${label}: ${msg.text()}`));
  page.on('pageerror', (err) => console.error(`${label} error: ${err.message}`));
  await page.goto(`${base}${path}`);
  return { context, page };
}

/** Saves a full-page screenshot as <name>.png; returns its path. */
export async function screenshot(page, name) {
  const path = join(screenshots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
