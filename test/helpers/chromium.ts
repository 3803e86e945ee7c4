// Headless Chromium from Debian (/usr/bin/chromium) through playwright-core, for the dashboard's
// browser tests: one launch per test file, screenshots kept under .tap/screenshots (gitignored).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Test artifacts of each run (gitignored): the dashboard's screenshots. */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '.tap', 'screenshots');

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The tap `skip` option: false when Chromium is there, else why the browser tests skip. */
export const chromiumSkip: false | string = existsSync(CHROMIUM)
  ? false
  : `chromium is not installed at ${CHROMIUM} (apt-get install -y chromium; .ci/run does it as root)`;

/** Launches Chromium; playwright gives every launch a fresh, temporary user-data-dir. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/**
 * Waits until `expr` is true in the page. (page.waitForFunction polls with eval, which the page's
 * CSP forbids; page.evaluate runs through the debugging protocol and is not subject to it.)
 */
export async function waitInPage(page: Page, expr: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`Boolean(${expr})`))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting in the page for ${expr}`);
    await page.waitForTimeout(50);
  }
}
