/**
 * Numbers as MLTK prints them (MLTK.md §3.5, §3.8): MLTK is Python, so floats print as Python's
 * `str(float)` — the shortest text that reads back as the same double, in fixed notation from 1e-4
 * up to 1e16 (keeping `.0` on whole values) and exponent notation (`5e-05`, `1e+16`) outside —
 * and `round(x, n)` rounds the exact binary value, ties to even.
 */

/** Python `repr(float)` / `str(float)`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // JS and Python both pick the shortest round-tripping digits; only the layout differs.
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
}

/** A value of a column pandas would type as integer (printed without `.0`) or as float. */
export function pyNumber(x: number, integerTyped: boolean): string {
  return integerTyped && Number.isInteger(x) ? String(x) : pyFloat(x);
}

/** Python `round(x, nd)` for floats: the exact binary value rounded to nd decimals, ties to even. */
export function pyRound(x: number, nd: number): number {
  if (!Number.isFinite(x)) return x;
  const fixed = Number(x.toFixed(nd));
  // toFixed breaks exact ties away from zero; Python breaks them to even. A tie shows as a
  // decimal expansion ending in 5 followed only by zeros (toFixed works on the exact value).
  const longer = Math.abs(x).toFixed(Math.min(100, nd + 40));
  const tail = longer.slice(longer.indexOf('.') + 1 + nd);
  if (!/^50*$/.test(tail)) return fixed;
  const scaled = Math.abs(fixed) * 10 ** nd;
  const lastDigitOdd = Math.round(scaled) % 2 === 1;
  if (!lastDigitOdd) return fixed;
  const down = Number((Math.abs(fixed) - 10 ** -nd).toFixed(nd));
  return x < 0 ? -down : down;
}
