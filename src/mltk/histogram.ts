/**
 * anomalydetection's histogram method (MLTK.md §4): each listed field's value gets a frequency over
 * all N events — a categorical value its count/N, a numerical one (every set value is a number) the
 * count/N of its bin among 10 equal-width bins over [min, max]; a missing value is a category of its
 * own. An event's probability is the product of its frequencies.
 */
import type { Row } from '../engine/row.js';
import { toNumber, toText, valuesOf } from '../eval/value.js';
import { quantileSorted, sortedCopy } from './stats.js';

export const HISTOGRAM_BINS = 10;

export interface EventScore {
  logProb: number;
  /** Frequency of each field's value, in field order. */
  freqs: number[];
}

/** The category of a row's value for one field, as a string key ('' = missing). */
type Categoriser = (row: Row) => string;

function fieldCategoriser(rows: readonly Row[], field: string): Categoriser {
  const text = (r: Row): string | null => {
    const vals = valuesOf(r.get(field));
    return vals.length === 0 ? null : vals.map(toText).join('\n');
  };
  const nums: number[] = [];
  let numeric = true;
  for (const r of rows) {
    const t = text(r);
    if (t === null) continue;
    const n = toNumber(t);
    if (n === null) {
      numeric = false;
      break;
    }
    nums.push(n);
  }
  if (!numeric || nums.length === 0) return (r) => (text(r) === null ? '' : `v:${text(r)}`);
  let min = Infinity;
  let max = -Infinity;
  for (const n of nums) {
    if (n < min) min = n;
    if (n > max) max = n;
  }
  return (r) => {
    const t = text(r);
    if (t === null) return '';
    if (max === min) return 'b:0';
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.floor(((toNumber(t)! - min) / (max - min)) * HISTOGRAM_BINS));
    return `b:${bin}`;
  };
}

/** Frequencies and ln P of every row over the given fields. */
export function histogramScores(rows: readonly Row[], fields: readonly string[]): EventScore[] {
  const n = rows.length;
  const cats = fields.map((f) => {
    const categorise = fieldCategoriser(rows, f);
    const keys = rows.map(categorise);
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    return keys.map((k) => counts.get(k)! / n);
  });
  return rows.map((_, i) => {
    const freqs = cats.map((c) => c[i]!);
    let logProb = 0;
    for (const f of freqs) logProb += Math.log(f);
    return { logProb, freqs };
  });
}

export interface LogThreshold {
  thresh: number;
  q1: number;
  q3: number;
}

/** The ln P threshold: ln(pthresh) when given, else Q1 − 1.5·IQR of all ln P (linear quartiles). */
export function logThreshold(logProbs: readonly number[], pthresh: number | null): LogThreshold {
  const s = sortedCopy(logProbs);
  const q1 = quantileSorted(s, 0.25);
  const q3 = quantileSorted(s, 0.75);
  return { thresh: pthresh !== null ? Math.log(pthresh) : q1 - 1.5 * (q3 - q1), q1, q3 };
}
