/**
 * Builds the report: one self-contained HTML file. Styles, the page script and Chart.js (read from
 * node_modules when the report is written) are inlined; the data is one JSON block that the page
 * script renders with textContent. A Content-Security-Policy with the SHA-256 of each inline script
 * and style allows nothing else: no other script, no network request of any kind.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../state/index.js';
import { packagePath } from '../util/paths.js';
import { DEFAULT_EVIDENCE_LIMIT, type FindingRecord, type ReportInput } from './model.js';
import { summarise, type ReportSummary } from './summary.js';

export interface ReportOptions {
  /** Evidence events per finding embedded in the page (default 20). */
  evidenceLimit?: number;
  /** When the report was written (default: now); shown in the page. */
  generatedAt?: Date;
}

/** What the page script reads from the JSON block. */
export interface PageData {
  format: 1;
  generatedAt: string;
  source: string;
  evidenceLimit: number;
  summary: ReportSummary;
  findings: FindingRecord[];
}

interface Assets {
  css: string;
  chart: string;
  app: string;
}

let cachedAssets: Assets | undefined;

/** A script or style that could end its own element early cannot be inlined safely. */
function inlineSafe(name: string, text: string): string {
  if (/<\/(script|style)|<!--/i.test(text)) throw new Error(`trailguard: ${name} contains a closing tag or comment opener and cannot be inlined`);
  return text;
}

function loadAssets(): Assets {
  if (cachedAssets) return cachedAssets;
  const require = createRequire(import.meta.url);
  // chart.js's exports map has no entry for the UMD bundle; it sits beside the CommonJS entry.
  const chartFile = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
  // The source-map comment would make devtools try to fetch a file the page does not ship.
  const chart = readFileSync(chartFile, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  cachedAssets = {
    css: inlineSafe('report.css', readFileSync(packagePath('data', 'report', 'report.css'), 'utf8')),
    chart: inlineSafe('chart.js', chart),
    app: inlineSafe('report.js', readFileSync(packagePath('data', 'report', 'report.js'), 'utf8')),
  };
  return cachedAssets;
}

/** JSON for a `<script type="application/json">` block: no `<`, `>` or `&` can end it or open markup. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function pageData(input: ReportInput, opts: ReportOptions = {}): PageData {
  const limit = opts.evidenceLimit ?? DEFAULT_EVIDENCE_LIMIT;
  return {
    format: 1,
    generatedAt: (opts.generatedAt ?? new Date()).toISOString(),
    source: input.sourceLabel,
    evidenceLimit: limit,
    summary: summarise(input),
    findings: input.findings.map((f) => (f.evidence.length <= limit ? f : {
      ...f, evidence: f.evidence.slice(0, limit), evidence_total: Math.max(f.evidence_total ?? 0, f.evidence.length),
    })),
  };
}

export function renderReportHtml(input: ReportInput, opts: ReportOptions = {}): string {
  return pageHtml(pageData(input, opts));
}

function pageHtml(data: PageData): string {
  const { css, chart, app } = loadAssets();
  const period = data.summary.period;
  const title = period ? `Trailguard findings ${period.start} – ${period.end}` : 'Trailguard findings';
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(chart)} ${sha256(app)}`,
    `style-src ${sha256(css)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Trailguard report format ${data.format}">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<a class="skip" href="#findings">Skip to findings</a>
<main id="app" aria-busy="true">
<h1>Trailguard findings report</h1>
<p id="loading">Loading ${data.findings.length} findings…</p>
<noscript><p>This report needs JavaScript to display its findings. The data is in the page source, in the script element with id "report-data".</p></noscript>
</main>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${chart}</script>
<script>${app}</script>
</body>
</html>
`;
}

/**
 * Writes the report atomically (temp file + rename): a reader never sees half a page. Returns the
 * summary the page shows (totals, identities), for a caller that also prints it.
 */
export function writeReport(input: ReportInput, file: string, opts: ReportOptions = {}): ReportSummary {
  const data = pageData(input, opts);
  writeFileAtomic(file, pageHtml(data));
  return data.summary;
}
