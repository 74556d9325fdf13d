import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** Debian's Chromium, which playwright-core drives (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The `skip` of a browser suite: false when Chromium is installed; a message saying how to
 * install it when it is missing outside CI. With `CI` set a missing Chromium throws: .ci/run
 * installs it, so the browser tests must run there.
 */
export function chromiumSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env['CI'])
    throw new Error(
      `${CHROMIUM} is missing: CI must install Debian's chromium (.ci/run does) so the browser test runs`,
    );
  return `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to run the browser test`;
}

/** A headless page on a local site, and what went wrong on it. */
export interface SitePage {
  browser: Browser;
  page: Page;
  /** Page errors, console errors and requests to anything but `baseUrl`, as they happen. */
  problems: string[];
}

/**
 * Launches headless Chromium and opens one page that records its errors and every request that
 * leaves `baseUrl` (a catalog page must fetch nothing from elsewhere). Close `browser` after.
 */
export async function openSitePage(baseUrl: string): Promise<SitePage> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(baseUrl)) problems.push(`request outside the catalog: ${r.url()}`);
  });
  return { browser, page, problems };
}
