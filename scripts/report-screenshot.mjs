#!/usr/bin/env node
// Regenerates docs/report-screenshot.png: runs `trailguard demo` (after `npm run build`), opens the
// report it wrote in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM) and screenshots
// it with one finding expanded to show its evidence.
//
//   node scripts/report-screenshot.mjs [--out docs/report-screenshot.png] [--keep DIR]
//
// The data source is the one function `reportInput()` below: the demo's findings store.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = dirname(import.meta.dirname);
const { writeReport } = await import(pathToFileURL(join(root, 'src/report/page.ts')).href);
const { launchChromium } = await import(pathToFileURL(join(root, 'test/report/browser.ts')).href);

/** The report's input: what `trailguard demo` stored (its default size and seed, a fixed end). */
async function reportInput(workDir) {
  const demo = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'demo', '--out', workDir, '--end', '2026-11-20T12:00:00Z'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (demo.status !== 0) throw new Error(`trailguard demo failed (run \`npm run build\` first)`);
  const { loadReportInput } = await import(pathToFileURL(join(root, 'src/report/load.ts')).href);
  return loadReportInput({ kind: 'store', stateDir: join(workDir, 'state') });
}

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const out = resolve(flag('--out', join(root, 'docs', 'report-screenshot.png')));
const keep = flag('--keep', undefined);
const work = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'tg-report-shot-'));

try {
  const input = await reportInput(work);
  const html = join(work, 'trailguard-report.html');
  const summary = writeReport(input, html, { generatedAt: new Date('2026-11-20T12:05:00Z') });
  process.stderr.write(`report: ${html} (${summary.totals.findings} findings)\n`);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector('body[data-ready="true"]');
    // Show one finding opened, with a short table: from the rarest detection that has findings with
    // at least two evidence events (the injected attack), its finding with the most evidence.
    const perDetection = new Map();
    for (const f of input.findings) perDetection.set(f.detection.name, (perDetection.get(f.detection.name) ?? 0) + 1);
    const target = input.findings.filter((f) => f.evidence.length >= 2)
      .sort((a, b) => perDetection.get(a.detection.name) - perDetection.get(b.detection.name) || b.evidence.length - a.evidence.length)[0];
    if (target) {
      await page.selectOption('#filter-detection', target.detection.name);
      while (await page.locator('#more').isVisible()) await page.locator('#more').click();
      await page.locator(`tr.finding[data-id="${target.id}"] .expander`).click();
      const params = page.locator('tr.detail table.evidence details', { hasText: 'Request parameters' }).first();
      if (await params.count() > 0) await params.locator('summary').click();
    }
    // The findings table's header is sticky; from the top it sits where it belongs.
    await page.evaluate(() => window.scrollTo(0, 0));
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    process.stdout.write(out + '\n');
    await page.close();
  } finally {
    await browser.close();
  }
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
