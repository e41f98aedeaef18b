/**
 * `anomalydetection [method=histogram|iqr] [action=…] [pthresh=p] [cutoff=b] [<field>…]`
 * (MLTK.md §4). histogram (default): events whose probability is anomalously low, with
 * `log_event_prob`, `probable_cause` (the field whose value is rarest; ties to the earlier field),
 * `probable_cause_freq` and `max_freq`; action=filter (default) keeps only anomalies, annotate keeps
 * every event (only anomalies get the cause fields), summary returns one row of statistics.
 * method=iqr is `outlier`. method=zscore is not supported. `cutoff` is accepted and does not change
 * the threshold (its effect is undocumented).
 */
import { TrailguardError } from '../errors.js';
import type { AnomalydetectionCommand, OutlierCommand } from '../spl/ast.js';
import { Row } from '../engine/row.js';
import { blockingOperator, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { histogramScores, logThreshold } from '../mltk/histogram.js';
import { outlierTransform, readOutlierOptions } from './outlier.js';

const KEYS = ['method', 'action', 'pthresh', 'cutoff'];
const BOOL = /^(1|0|t|f|true|false|y|n|yes|no)$/i;

function fail(cmd: AnomalydetectionCommand, reason: string, hint: string): TrailguardError {
  return new TrailguardError({ code: 'E_MLTK_PARAM', phase: 'plan', span: cmd.span, reason: `anomalydetection: ${reason}`, hints: [hint] });
}

/** Fields of the rows that do not start with `_`, in first-seen order. */
function visibleFields(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const n of r.fieldNames()) if (!n.startsWith('_')) seen.add(n);
  return [...seen];
}

export default function anomalydetectionPlan(cmd: AnomalydetectionCommand, env: PlanEnv): CommandPlan {
  const opts: Record<string, string> = {};
  for (const [k, v] of Object.entries(cmd.options)) opts[k.toLowerCase()] = v;
  const method = (opts.method ?? 'histogram').toLowerCase();
  if (method === 'zscore') throw fail(cmd, 'method=zscore is not supported by Trailguard', 'use the default method=histogram, or method=iqr');
  if (method === 'iqr') {
    if (opts.pthresh !== undefined) throw fail(cmd, 'pthresh is not a parameter of method=iqr', 'remove pthresh=, or use method=histogram');
    const { method: _m, ...rest } = cmd.options;
    void _m;
    const asOutlier: OutlierCommand = { kind: 'command', name: 'outlier', options: rest, fields: cmd.fields, span: cmd.span };
    const o = readOutlierOptions(asOutlier, 'anomalydetection method=iqr');
    return { command: cmd, position: env.position, describe: () => `method=iqr action=${o.action}`, open: () => blockingOperator((rows) => outlierTransform(rows, cmd.fields, o)) };
  }
  if (method !== 'histogram') throw fail(cmd, `method=${opts.method} is not a method anomalydetection knows`, 'use method=histogram (default) or method=iqr');
  for (const k of Object.keys(opts)) if (!KEYS.includes(k)) throw fail(cmd, `unknown parameter "${k}"`, `anomalydetection accepts ${KEYS.join(', ')}`);
  const action = (opts.action ?? 'filter').toLowerCase();
  if (!['filter', 'annotate', 'summary'].includes(action)) throw fail(cmd, `action=${opts.action} is not an action of method=histogram`, 'use action=filter (default), annotate or summary');
  let pthresh: number | null = null;
  if (opts.pthresh !== undefined) {
    pthresh = Number(opts.pthresh);
    if (!(pthresh > 0 && pthresh <= 1) || !/^[\d.eE+-]+$/.test(opts.pthresh)) throw fail(cmd, `pthresh=${opts.pthresh} is not a probability`, 'use a number between 0 and 1, for example pthresh=0.01');
  }
  if (opts.cutoff !== undefined && !BOOL.test(opts.cutoff)) throw fail(cmd, `cutoff=${opts.cutoff} is not a boolean`, 'use cutoff=true or cutoff=false');

  return {
    command: cmd,
    position: env.position,
    describe: () => `method=histogram action=${action}${pthresh !== null ? ` pthresh=${pthresh}` : ''} ${cmd.fields.join(' ')}`.trimEnd(),
    open() {
      return blockingOperator((rows) => {
        const fields = cmd.fields.length > 0 ? cmd.fields : visibleFields(rows);
        const scores = histogramScores(rows, fields);
        const lp = scores.map((s) => s.logProb);
        const th = logThreshold(lp, pthresh);
        const anomalous = lp.map((l) => l < th.thresh);
        if (action === 'summary') {
          const count = anomalous.filter(Boolean).length;
          return [Row.of({
            num_anomalies: count,
            thresh: rows.length ? th.thresh : null,
            max_logprob: rows.length ? Math.max(...lp) : null,
            min_logprob: rows.length ? Math.min(...lp) : null,
            '1st_quartile': rows.length ? th.q1 : null,
            '3rd_quartile': rows.length ? th.q3 : null,
          })];
        }
        const out: Row[] = [];
        rows.forEach((row, i) => {
          const s = scores[i]!;
          if (anomalous[i]) {
            let cause = 0;
            s.freqs.forEach((f, j) => {
              if (f < s.freqs[cause]!) cause = j;
            });
            row.set('log_event_prob', s.logProb);
            row.set('probable_cause', fields[cause] ?? null);
            row.set('probable_cause_freq', s.freqs[cause] ?? null);
            row.set('max_freq', s.freqs.length ? Math.max(...s.freqs) : null);
            out.push(row);
          } else if (action === 'annotate') {
            row.set('log_event_prob', s.logProb);
            out.push(row);
          }
        });
        return out;
      });
    },
  };
}
