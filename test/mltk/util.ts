/** Helpers for the MLTK tests. */
import assert from 'node:assert/strict';

/** |actual − expected| ≤ rel · max(1, |expected|). */
export function close(actual: number, expected: number, rel = 1e-12, what = ''): void {
  const tol = rel * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} differs from ${expected} by more than ${tol}`);
}
