/**
 * MLTK's numerical boundary search for densities without a closed-form quantile (Gaussian KDE,
 * Beta; MLTK.md §3.3), reproduced step by step, including its quirks, so that the ranges match.
 */
import { pyRound } from '../pyformat.js';

export interface MassRange {
  lo: number;
  hi: number;
  mass: number;
}

/**
 * Ranges of the grid where the density is below a level L, with L bisected until their total mass
 * is within 0.1% of t or its 4-decimal rounding stops changing (`minIterations`: that second stop
 * only counts after so many iterations). A run starting at b and ending at the first point e with
 * density ≥ L gives [b, e, mass(b, midpoint(e−1, e))]; a run that reaches the last point g gives
 * [b, g, mass(b, g)]. A run that would start at exactly 0.0 starts at the next point instead (the
 * original tests the start for truthiness).
 */
export function levelSetRanges(grid: readonly number[], dens: readonly number[], mass: (a: number, b: number) => number, t: number, minIterations = 0): MassRange[] {
  return levelSetSearch(grid, dens, mass, t, minIterations).ranges;
}

/** levelSetRanges, also telling how many bisection steps it took (tests check MLTK.md's counts). */
export function levelSetSearch(grid: readonly number[], dens: readonly number[], mass: (a: number, b: number) => number, t: number, minIterations = 0): { ranges: MassRange[]; iterations: number; stop: 'close' | 'no-progress' | 'limit' } {
  let lo = 0;
  let hi = 0;
  for (const d of dens) if (Number.isFinite(d) && d > hi) hi = d;
  let prev: number | null = null;
  let ranges: MassRange[] = [];
  for (let it = 1; it <= 1000; it++) {
    const level = (lo + hi) / 2;
    ranges = rangesBelow(grid, dens, mass, level);
    let area = 0;
    for (const r of ranges) area += r.mass;
    const rounded = pyRound(area, 4);
    if (prev !== null && rounded === prev && it > minIterations) return { ranges, iterations: it, stop: 'no-progress' };
    prev = rounded;
    if (area > 0.999 * t && area < 1.001 * t) return { ranges, iterations: it, stop: 'close' };
    if (area < 0.999 * t) lo = level;
    else hi = level;
  }
  return { ranges, iterations: 1000, stop: 'limit' };
}

function rangesBelow(grid: readonly number[], dens: readonly number[], mass: (a: number, b: number) => number, level: number): MassRange[] {
  const out: MassRange[] = [];
  let start: number | null = null;
  for (let i = 0; i < grid.length; i++) {
    if (dens[i]! < level) {
      if (!start) start = grid[i]!;
    } else {
      if (start) out.push({ lo: start, hi: grid[i]!, mass: mass(start, (grid[i - 1]! + grid[i]!) / 2) });
      start = null;
    }
  }
  if (start) {
    const last = grid[grid.length - 1]!;
    out.push({ lo: start, hi: last, mass: mass(start, last) });
  }
  return out;
}

/**
 * One-tailed range by bisection of one end (MLTK.md §3.3 lower_threshold/upper_threshold): the
 * moving end starts at the far edge and is halved towards the fixed end, stepping back halfway
 * after an undershoot, until the mass is within 0.1% of `a` or its rounding stops changing.
 */
export function tailEnd(fixed: number, far: number, massBetween: (moving: number) => number, a: number): { end: number; mass: number } {
  let near = fixed;
  let outer = far;
  let prev: number | null = null;
  let end = far;
  let m = massBetween(far);
  for (let it = 0; it < 1000; it++) {
    end = (near + outer) / 2;
    m = massBetween(end);
    const rounded = pyRound(m, 4);
    if (Math.abs(m - a) <= 0.001 * a || rounded === prev) break;
    prev = rounded;
    if (m > a) outer = end;
    else near = end;
  }
  return { end, mass: m };
}
