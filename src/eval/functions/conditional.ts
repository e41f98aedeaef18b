/** Conditional and comparison functions: if, case, coalesce, null tests, in, cidrmatch, like, match. */
import type { FunctionTable } from './types.js';
import { compareValues, like, scalarsOf, textOf, truth } from '../ops.js';
import { toText } from '../value.js';
import { compileRegex, firstFoundIn, type BoundedRegex } from '../regex.js';

function parseIPv4(s: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = (v << 8n) | BigInt(o);
  }
  return v;
}

function parseIPv6(s: string): bigint | null {
  if (!s.includes(':')) return null;
  let text = s.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = parseIPv4(v4[1]!);
    if (n === null) return null;
    text = text.slice(0, -v4[1]!.length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

/** cidrmatch("10.0.0.0/8", ip): IPv4 and IPv6; malformed CIDR or address → false. */
export function cidrMatch(cidr: string, ip: string): boolean {
  const [net, bitsText] = cidr.trim().split('/');
  if (net === undefined) return false;
  const v4 = parseIPv4(net);
  const family = v4 !== null ? 32 : 128;
  const netVal = v4 ?? parseIPv6(net);
  const ipVal = family === 32 ? parseIPv4(ip.trim()) : parseIPv6(ip.trim());
  if (netVal === null || ipVal === null) return false;
  const bits = bitsText === undefined ? family : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > family) return false;
  const shift = BigInt(family - bits);
  return netVal >> shift === ipVal >> shift;
}

export const CONDITIONAL: FunctionTable = {
  if: {
    minArgs: 3,
    maxArgs: 3,
    signature: 'if(condition, then, else)',
    compile: ([c, a, b]) => (row, ctx) => (truth(c!(row, ctx)) === true ? a!(row, ctx) : b!(row, ctx)),
  },
  case: {
    minArgs: 2,
    maxArgs: Infinity,
    signature: 'case(condition1, value1, condition2, value2, …)',
    checkArgCount: (n) => (n % 2 === 0 ? null : 'needs condition/value pairs (an even number of arguments)'),
    compile: (args) => (row, ctx) => {
      for (let i = 0; i + 1 < args.length; i += 2) if (truth(args[i]!(row, ctx)) === true) return args[i + 1]!(row, ctx);
      return null;
    },
  },
  coalesce: {
    minArgs: 1,
    maxArgs: Infinity,
    signature: 'coalesce(x, y, …)',
    compile: (args) => (row, ctx) => {
      for (const a of args) {
        const v = a(row, ctx);
        if (v !== null && v !== undefined) return v;
      }
      return null;
    },
  },
  nullif: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'nullif(x, y)',
    impl: ([a, b]) => (compareValues('=', a!, b!) === true ? null : a!),
  },
  validate: {
    minArgs: 2,
    maxArgs: Infinity,
    signature: 'validate(condition1, message1, …)',
    checkArgCount: (n) => (n % 2 === 0 ? null : 'needs condition/message pairs'),
    compile: (args) => (row, ctx) => {
      for (let i = 0; i + 1 < args.length; i += 2) if (truth(args[i]!(row, ctx)) !== true) return args[i + 1]!(row, ctx);
      return null;
    },
  },
  isnull: { minArgs: 1, maxArgs: 1, signature: 'isnull(x)', returnsBoolean: true, impl: ([x]) => x === null },
  isnotnull: { minArgs: 1, maxArgs: 1, signature: 'isnotnull(x)', returnsBoolean: true, impl: ([x]) => x !== null },
  null: { minArgs: 0, maxArgs: 0, signature: 'null()', impl: () => null },
  true: { minArgs: 0, maxArgs: 0, signature: 'true()', returnsBoolean: true, impl: () => true },
  false: { minArgs: 0, maxArgs: 0, signature: 'false()', returnsBoolean: true, impl: () => false },
  in: {
    minArgs: 2,
    maxArgs: Infinity,
    signature: 'in(field, value1, value2, …)',
    returnsBoolean: true,
    impl: ([x, ...vals]) => {
      if (x === null) return false;
      return vals.some((v) => compareValues('=', x!, v!) === true);
    },
  },
  like: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'like(text, pattern)',
    returnsBoolean: true,
    impl: ([s, p]) => like(s!, p!),
  },
  match: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'match(text, regex)',
    returnsBoolean: true,
    impl: ([s, r], ctx) => {
      const pattern = textOf(r!);
      const vals = scalarsOf(s!);
      if (pattern === null || vals.length === 0) return null;
      let re: BoundedRegex;
      try {
        re = compileRegex(pattern);
      } catch (e) {
        ctx.warn?.(`match(): invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
        return null;
      }
      return firstFoundIn(re, vals.map(toText), 'match()', ctx.warn) >= 0;
    },
  },
  cidrmatch: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'cidrmatch(cidr, ip)',
    returnsBoolean: true,
    impl: ([c, ip]) => {
      const cidr = textOf(c!);
      const addrs = scalarsOf(ip!);
      if (cidr === null || addrs.length === 0) return null;
      return addrs.some((a) => cidrMatch(cidr, toText(a)));
    },
  },
};
