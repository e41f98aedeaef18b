/**
 * The findings report in a real headless Chromium, built from real findings: the seed detections
 * run as written over generated CloudTrail at hourly ticks (seed-input.ts), with evidence attached
 * by an independent reading of the generated events. Expected numbers come from expected.ts.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { writeReport } from '../../src/report/page.js';
import type { FindingRecord } from '../../src/report/model.js';
import { buildSeedReport } from './seed-input.js';
import { launchChromium, recordPage, type PageLog } from './browser.js';
import { expectedIdentities, expectedTotals, findingsPerHour } from './expected.js';

// Page-side code below runs in Chromium; these names exist there, not in Node's types.
declare const document: any;
declare const window: any;
declare const Chart: any;

const HOUR = 3_600_000;
/** A generated evidence event's CloudTrail record. */
const rawOf = (f: FindingRecord, i: number) => f.evidence[i]!.raw as Record<string, any>;
const dir = mkdtempSync(join(tmpdir(), 'tg-report-'));
const seed = await buildSeedReport({ dir, events: 8000, seed: 'report-e2e', end: Date.parse('2026-11-20T12:00:00Z'), ticks: 8 });
const findings = seed.input.findings;
const htmlFile = join(dir, 'report.html');
writeReport(seed.input, htmlFile);
const url = pathToFileURL(htmlFile).href;
const browser = await launchChromium();

after(async () => {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const log = recordPage(page);
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  return { page, log };
}

/** Every row the table would show: clicks "Show more" until all are rendered. */
async function allRowIds(page: Page): Promise<string[]> {
  while (await page.locator('#more').isVisible()) await page.locator('#more').click();
  return page.locator('tr.finding').evaluateAll((rows: any[]) => rows.map((r) => r.getAttribute('data-id')));
}

test('the generated data gives the report something to show', () => {
  assert.ok(findings.length >= 10, `only ${findings.length} findings`);
  const fired = new Set(findings.map((f) => f.detection.name));
  for (const seed of ['Detect new API calls from user roles', 'Detect API activity from users without MFA', 'Cloud API Calls From Previously Unseen User Roles']) {
    assert.ok(fired.has(seed), `${seed} fires`);
  }
  assert.ok(findingsPerHour(findings).size >= 3, 'findings in several hours');
  assert.ok(findings.some((f) => f.evidence.length > 0), 'some findings have evidence');
});

test('the page loads from file:// with no console error and no network request', async () => {
  const { page, log } = await open();
  try {
    assert.deepEqual(log.consoleErrors, []);
    assert.deepEqual(log.pageErrors, []);
    assert.deepEqual(log.requests, [url], 'the only request is the page itself');
    const resources = await page.evaluate(() => window.performance.getEntriesByType('resource').map((e: any) => e.name));
    assert.deepEqual(resources, []);
    // The policy is in force: an injected image is refused (and reported), not loaded.
    const blocked = await page.evaluate(() => new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e: any) => resolve(e.violatedDirective), { once: true });
      const img = document.createElement('img');
      img.src = 'http://127.0.0.1:9/probe.png';
      document.body.appendChild(img);
    }));
    assert.match(String(blocked), /img-src|default-src/);
  } finally {
    await page.close();
  }
});

test('totals equal the counts of the input', async () => {
  const { page } = await open();
  try {
    const expected = expectedTotals(findings);
    const total = async (name: string) => Number((await page.locator(`[data-total="${name}"]`).textContent())!.replace(/,/g, ''));
    assert.equal(await total('findings'), expected.findings);
    assert.equal(await total('detections'), expected.detections);
    assert.equal(await total('identities'), expected.identities);
    assert.equal(await total('high-risk'), expected.highRisk);
    assert.ok(expected.highRisk > 0, 'the data has an identity over the 24-hour risk threshold');
    // Every high-risk identity carries a visible incident flag in the ranking.
    for (const id of expectedIdentities(findings).filter((i) => i.highRisk)) {
      const row = page.locator('table.identities tr').filter({ has: page.getByRole('button', { name: id.value, exact: true }) });
      assert.match((await row.locator('.flag').first().textContent())!, /24 h risk \d+ > 100|tactics from/);
    }
  } finally {
    await page.close();
  }
});

test('the timeline draws a stacked bar for every hour with findings, and none for hours without', async () => {
  const { page } = await open();
  try {
    const bars = await page.evaluate(() => {
      const chart = Chart.getChart('timeline');
      const ctx = chart.canvas.getContext('2d');
      const ratio = chart.currentDevicePixelRatio;
      const perBucket: { label: string; count: number; painted: boolean }[] = [];
      chart.data.labels.forEach((label: string, i: number) => {
        let count = 0;
        let painted = false;
        chart.data.datasets.forEach((ds: any, d: number) => {
          count += ds.data[i];
          const bar = chart.getDatasetMeta(d).data[i];
          if (ds.data[i] > 0) {
            // A pixel in the middle of the bar segment is not the white background.
            const px = ctx.getImageData(Math.round(bar.x * ratio), Math.round(((bar.y + bar.base) / 2) * ratio), 1, 1).data;
            if (px[3] > 0 && !(px[0] > 245 && px[1] > 245 && px[2] > 245)) painted = true;
          }
        });
        perBucket.push({ label, count, painted });
      });
      return { perBucket, datasets: chart.data.datasets.length };
    });
    const expected = findingsPerHour(findings);
    const hours = [...expected.keys()].sort((a, b) => a - b);
    const first = hours[0]!;
    // One bucket per hour from the first finding's hour to the last's.
    assert.equal(bars.perBucket.length, (hours[hours.length - 1]! - first) / HOUR + 1);
    bars.perBucket.forEach((b, i) => {
      const n = expected.get(first + i * HOUR) ?? 0;
      const label = new Date(first + i * HOUR).toISOString();
      assert.equal(b.count, n, `findings in the hour of ${label}`);
      assert.equal(b.painted, n > 0, `bar drawn for ${label}`);
      assert.equal(b.label, `${label.slice(5, 10)} ${label.slice(11, 13)}:00`);
    });
    assert.equal(bars.datasets, new Set(findings.map((f) => f.detection.name)).size, 'one stack per detection');
  } finally {
    await page.close();
  }
});

test('filtering by one identity leaves exactly its findings (select and ranking button)', async () => {
  const { page } = await open();
  try {
    const ids = expectedIdentities(findings).sort((a, b) => b.findingIds.length - a.findingIds.length);
    const target = ids[0]!;
    assert.ok(target.findingIds.length < findings.length, 'the identity has only some of the findings');
    assert.equal((await allRowIds(page)).length, findings.length);
    await page.selectOption('#filter-identity', JSON.stringify([target.type, target.value]));
    assert.deepEqual((await allRowIds(page)).sort(), [...target.findingIds].sort());
    assert.match((await page.locator('#shown').textContent())!, new RegExp(`^${target.findingIds.length} of ${findings.length} findings match`));
    for (const cell of await page.locator('tr.finding td.objects').allTextContents()) assert.ok(cell.includes(target.value));

    await page.click('#filter-clear');
    assert.equal((await allRowIds(page)).length, findings.length);
    const other = ids[1]!;
    await page.getByRole('button', { name: other.value, exact: true }).click();
    assert.deepEqual((await allRowIds(page)).sort(), [...other.findingIds].sort());
    assert.equal(await page.locator('#filter-identity').inputValue(), JSON.stringify([other.type, other.value]));
  } finally {
    await page.close();
  }
});

test('detection, technique and text filters, and sorting by time', async () => {
  const { page } = await open();
  try {
    const byDetection = (name: string) => findings.filter((f) => f.detection.name === name).map((f) => f.id).sort();
    const name = 'Detect new API calls from user roles';
    await page.selectOption('#filter-detection', name);
    assert.deepEqual((await allRowIds(page)).sort(), byDetection(name));
    await page.click('#filter-clear');

    await page.selectOption('#filter-technique', 'T1078');
    assert.deepEqual((await allRowIds(page)).sort(), findings.filter((f) => f.mitre.some((m) => m.id === 'T1078')).map((f) => f.id).sort());
    await page.click('#filter-clear');

    // Free text reaches into the evidence: a source IP is only in the evidence events.
    const f = findings.find((x) => x.evidence.length > 0)!;
    const ip = String(rawOf(f, 0).sourceIPAddress);
    const expectedIds = findings.filter((x) => JSON.stringify(x).includes(ip)).map((x) => x.id).sort();
    await page.fill('#filter-text', ip);
    await page.waitForFunction((n: number) => document.getElementById('shown').textContent.startsWith(`${n} of`), expectedIds.length);
    assert.deepEqual((await allRowIds(page)).sort(), expectedIds);
    await page.click('#filter-clear');

    await page.getByRole('button', { name: 'Time (UTC)' }).click();
    const times = await page.locator('tr.finding td.when').allTextContents();
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    assert.equal(await page.locator('th[data-sort="time"]').getAttribute('aria-sort'), 'descending');
    await page.getByRole('button', { name: 'Time (UTC)' }).click();
    const asc = await page.locator('tr.finding td.when').allTextContents();
    assert.deepEqual(asc, [...asc].sort(), 'oldest first');
  } finally {
    await page.close();
  }
});

test('a finding expands with Enter to its message, risk objects, techniques, result row and evidence; Space closes it', async () => {
  const { page } = await open();
  try {
    const f: FindingRecord = [...findings].sort((a, b) => b.evidence.length - a.evidence.length)[0]!;
    assert.ok(f.evidence.length >= 2);
    await page.selectOption('#filter-detection', f.detection.name);
    await allRowIds(page);
    const row = page.locator(`tr.finding[data-id="${f.id}"]`);
    const button = row.locator('.expander');
    await button.focus();
    await page.keyboard.press('Enter');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    const detail = page.locator(`#detail-${f.id}`);
    assert.ok(await detail.isVisible());
    assert.equal(await detail.locator('p.message').textContent(), f.message);
    assert.deepEqual(await detail.locator('table.risk-objects tbody td:first-child').allTextContents(), f.risk_objects.map((o) => o.value));
    assert.deepEqual(
      await detail.locator('table.techniques tbody tr').evaluateAll((trs: any[]) => trs.map((tr) => [...tr.cells].map((c: any) => c.textContent))),
      f.mitre.map((m) => [m.id, m.name, m.tactics.join(', ')]),
    );
    for (const [k, v] of Object.entries(f.fields)) {
      const cell = detail.locator('table.kv tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${k.replace(/[.()]/g, '\\$&')}$`) }) }).locator('td');
      assert.equal(await cell.textContent(), v === null ? '\u2014' : Array.isArray(v) ? v.join('') : v);
    }
    // Evidence: one row per event, in order, with its time, event name, source IP, agent and error.
    const events = await detail.locator('table.evidence tr.event').evaluateAll((trs: any[]) => trs.map((tr) => [...tr.cells].map((c: any) => c.textContent)));
    assert.equal(events.length, Math.min(20, f.evidence.length));
    events.forEach((cells: string[], i: number) => {
      const raw = f.evidence[i]!.raw as Record<string, string>;
      assert.equal(cells[0], new Date(f.evidence[i]!.time).toISOString().slice(0, 19).replace('T', ' '));
      assert.equal(cells[1], `${raw.eventName}${raw.eventSource ?? ''}`);
      assert.equal(cells[2], raw.sourceIPAddress);
      assert.equal(cells[3], raw.userAgent);
      assert.equal(cells[4], raw.errorCode ? `${raw.errorCode}${raw.errorMessage ? `: ${raw.errorMessage}` : ''}` : 'none');
    });
    // The full event opens as JSON equal to the raw record.
    const full = detail.locator('table.evidence details', { hasText: 'Full event JSON' }).first();
    await full.locator('summary').click();
    assert.deepEqual(JSON.parse((await full.locator('pre').textContent())!), f.evidence[0]!.raw);
    const withParams = f.evidence.findIndex((_, i) => rawOf(f, i).requestParameters);
    if (withParams >= 0) {
      const params = detail.locator('table.evidence tr.event-json').nth(withParams).locator('details').first();
      await params.locator('summary').click();
      assert.deepEqual(JSON.parse((await params.locator('pre').textContent())!), rawOf(f, withParams).requestParameters);
    }
    await button.focus();
    await page.keyboard.press('Space');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await detail.count(), 0);
  } finally {
    await page.close();
  }
});

test('keyboard: Tab reaches the filters and the row buttons, with a visible focus outline', async () => {
  const { page } = await open();
  try {
    await page.locator('#filter-clear').focus();
    let reached = false;
    for (let i = 0; i < 8 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.classList.contains('expander') ?? false);
    }
    assert.ok(reached, 'Tab from the filters reaches a row\'s expand button');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, 'solid');
  } finally {
    await page.close();
  }
});

test('print stylesheet: controls are hidden and the findings stay', async () => {
  const { page } = await open();
  try {
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.controls').isVisible(), false);
    assert.equal(await page.locator('tr.finding').first().isVisible(), true);
    assert.equal(await page.locator('#timeline').isVisible(), true);
  } finally {
    await page.close();
  }
});

test('the report file is one HTML page whose only scripts are the data block, the chart library and the page script', () => {
  const html = readFileSync(htmlFile, 'utf8');
  assert.equal((html.match(/<script\b/gi) ?? []).length, 3);
  assert.equal((html.match(/<\/script>/gi) ?? []).length, 3);
  assert.doesNotMatch(html, /\b(src|href)=["']?(https?:)?\/\//i, 'no external reference');
});

// getComputedStyle is a page global too.
declare function getComputedStyle(e: any): any;

test('attacker-controlled strings are shown as text and never run or load anything', async () => {
  const payloads = [
    '</script><img src=x onerror="window.__pwned=1">',
    '<script>window.__pwned=2</script>',
    '"><svg onload="window.__pwned=3">',
    '<!--<iframe src="http://127.0.0.1:9/">',
    "javascript:window.__pwned=4//\u2028\u2029'",
  ];
  const hostile = payloads.join(' ');
  const base = findings.find((f) => f.evidence.length > 0)!;
  const evil: FindingRecord = {
    ...base,
    id: 'e71100000000',
    detection: { ...base.detection, name: `Detection ${payloads[0]}` },
    message: hostile,
    risk_objects: [{ field: 'user', value: payloads[2]!, type: 'user', role: 'victim' }],
    mitre: [{ id: 'T1078', name: payloads[1]!, tactics: [payloads[3]!] }],
    stories: [payloads[4]!],
    fields: { [payloads[1]!]: payloads[0]!, user: [payloads[2]!, payloads[3]!] },
    evidence: [{ time: base.evidence[0]!.time, raw: { ...rawOf(base, 0), eventName: payloads[1], userAgent: hostile, errorCode: payloads[0], requestParameters: { [payloads[0]!]: payloads[2], nested: { q: hostile } } } }],
  };
  const file = join(dir, 'hostile.html');
  writeReport({ ...seed.input, findings: [evil, ...findings], sourceLabel: payloads[0]! }, file);
  const page = await browser.newPage();
  const log = recordPage(page);
  try {
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
    await page.selectOption('#filter-identity', JSON.stringify(['user', payloads[2]]));
    await page.locator(`tr.finding[data-id="${evil.id}"] .expander`).click();
    for (const summary of await page.locator('tr.detail summary').all()) await summary.click();
    const detail = page.locator(`#detail-${evil.id}`);
    assert.equal(await detail.locator('p.message').textContent(), hostile);
    assert.equal(await detail.locator('table.evidence tr.event td').nth(3).textContent(), hostile);
    assert.equal(await detail.locator('table.evidence tr.event td').nth(1).textContent(), `${payloads[1]}${rawOf(base, 0).eventSource}`);
    assert.deepEqual(JSON.parse((await detail.locator('table.evidence pre').first().textContent())!), rawOf(evil, 0).requestParameters);
    assert.equal(await page.locator(`tr.finding[data-id="${evil.id}"] td.objects`).textContent(), payloads[2]);
    const found = await page.evaluate(() => ({
      pwned: window.__pwned ?? null,
      injected: document.querySelectorAll('img, svg, iframe, script:not([id="report-data"])').length,
    }));
    assert.deepEqual(found, { pwned: null, injected: 2 }, 'only the page\'s own two scripts; no injected element');
    assert.deepEqual(log.consoleErrors, []);
    assert.deepEqual(log.pageErrors, []);
    assert.deepEqual(log.requests, [pathToFileURL(file).href]);
  } finally {
    await page.close();
  }
});

test('a report with no findings says so and loads cleanly', async () => {
  const file = join(dir, 'empty.html');
  writeReport({ findings: [], riskEvents: null, since: Date.parse('2026-11-20T00:00:00Z'), until: Date.parse('2026-11-20T12:00:00Z'), sourceLabel: 'nothing' }, file);
  const page = await browser.newPage();
  const log = recordPage(page);
  try {
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.locator('[data-total="findings"]').textContent(), '0');
    assert.match((await page.locator('#period').textContent())!, /2026-11-20 00:00:00 – 2026-11-20 12:00:00 UTC/);
    assert.ok(await page.getByText('No findings in this period.').isVisible());
    assert.equal(await page.locator('#shown').textContent(), '0 findings.');
    assert.deepEqual([...log.consoleErrors, ...log.pageErrors], []);
  } finally {
    await page.close();
  }
});
