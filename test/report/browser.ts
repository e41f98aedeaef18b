/**
 * Headless Chromium for the report tests and the screenshot script: Debian's `chromium` driven by
 * playwright-core (which downloads no browser). The flags keep Chromium from reaching out to the
 * network on its own (component updates, sync, background requests): this machine refuses such
 * connections and the report must not make any. Playwright gives every launch a fresh temporary
 * profile (its own --user-data-dir), removed when the browser closes.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`Chromium is not at ${path}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM to its path`);
  }
  return path;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** Everything a page did that a test may want to check: console errors, page errors, requests. */
export interface PageLog {
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

export function recordPage(page: Page): PageLog {
  const log: PageLog = { consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.pageErrors.push(String(e)));
  page.on('request', (r: Request) => log.requests.push(r.url()));
  return log;
}
