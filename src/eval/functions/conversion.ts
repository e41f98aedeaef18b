/** Conversion functions: tostring, tonumber, typeof. */
import type { FunctionTable } from './types.js';
import { numberOf, single, textOf } from '../ops.js';
import { formatNumber, mv, toNumber, toText, type Scalar } from '../value.js';
import type { EvalResult } from '../context.js';

function withCommas(n: number): string {
  // Splunk's "commas" keeps at most two decimals.
  const rounded = Math.round(n * 100) / 100;
  const [int, frac] = formatNumber(Math.abs(rounded)).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${rounded < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

function duration(n: number): string {
  const total = Math.floor(Math.abs(n));
  const days = Math.floor(total / 86400);
  const rest = total % 86400;
  const hms = [Math.floor(rest / 3600), Math.floor((rest % 3600) / 60), rest % 60].map((x) => String(x).padStart(2, '0')).join(':');
  return `${n < 0 ? '-' : ''}${days > 0 ? `${days}+` : ''}${hms}`;
}

/** tostring(x, format) renderers keyed by format name (numbers only; others → null). */
const TOSTRING_FORMATS: Record<string, (n: number) => string> = {
  hex: (n) => `0x${Math.trunc(n).toString(16).toUpperCase()}`,
  commas: withCommas,
  duration,
};

function convertToString(v: EvalResult, format: string | null): EvalResult {
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const one = (s: Scalar): Scalar | null => {
    if (format === null) return toText(s);
    const f = TOSTRING_FORMATS[format];
    const n = toNumber(s);
    if (!f || n === null) return null;
    return f(n);
  };
  if (Array.isArray(v)) return mv(v.map(one).filter((x): x is Scalar => x !== null));
  return one(v);
}

function convertToNumber(s: string, base: number): number | null {
  const t = s.trim();
  if (base === 10) return toNumber(t);
  let body = t;
  let sign = 1;
  if (body.startsWith('-')) {
    sign = -1;
    body = body.slice(1);
  } else if (body.startsWith('+')) body = body.slice(1);
  if (base === 16 && /^0x/i.test(body)) body = body.slice(2);
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (body.length === 0 || ![...body.toLowerCase()].every((c) => digits.includes(c))) return null;
  return sign * parseInt(body, base);
}

export const CONVERSION: FunctionTable = {
  tostring: {
    minArgs: 1,
    maxArgs: 2,
    signature: 'tostring(x, ["hex"|"commas"|"duration"])',
    impl: ([x, f]) => convertToString(x!, f === undefined ? null : textOf(f)),
  },
  tonumber: {
    minArgs: 1,
    maxArgs: 2,
    signature: 'tonumber(text, [base])',
    impl: ([x, b]) => {
      const base = b === undefined ? 10 : numberOf(b);
      if (base === null || !Number.isInteger(base) || base < 2 || base > 36) return null;
      const s = single(x!);
      if (s === null) return null;
      if (typeof s === 'number') return base === 10 ? s : convertToNumber(formatNumber(s), base);
      return convertToNumber(s, base);
    },
  },
  typeof: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'typeof(x)',
    impl: ([x], _ctx, exprs) => {
      if (x === null) return 'Invalid';
      if (typeof x === 'boolean') return 'Boolean';
      if (Array.isArray(x)) return 'Multivalue';
      if (typeof x === 'number') return 'Number';
      // A string literal is a String even when it looks numeric; field text that parses is a Number.
      if (exprs[0]?.kind === 'string') return 'String';
      return toNumber(x) !== null ? 'Number' : 'String';
    },
  },
};
