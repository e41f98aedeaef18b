/** Mathematical functions: round, floor, ceil, abs, pow, sqrt, exp, ln, log, min, max, random. */
import type { FunctionDef, FunctionTable } from './types.js';
import type { EvalContext, EvalResult } from '../context.js';
import { numberOf, scalarsOf } from '../ops.js';
import { compareAuto } from '../compare.js';
import type { Scalar } from '../value.js';

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

function unary(name: string, f: (x: number) => number | null): FunctionDef {
  return {
    minArgs: 1,
    maxArgs: 1,
    signature: `${name}(x)`,
    impl: ([x]) => {
      const n = numberOf(x!);
      if (n === null) return null;
      const r = f(n);
      return r === null ? null : finite(r);
    },
  };
}

/** Half away from zero (SPL.md §3.6 [verify]), via decimal shifting to avoid 1.005 → 1.00. */
export function roundHalfAway(x: number, digits: number): number {
  const sign = x < 0 ? -1 : 1;
  const shifted = Math.round(Number(`${Math.abs(x)}e${digits}`));
  return sign * Number(`${shifted}e${-digits}`);
}

/** min/max flatten multivalues; numbers order numerically and come before strings (§3.6). */
function extreme(dir: 1 | -1) {
  return (args: EvalResult[]): EvalResult => {
    let best: Scalar | null = null;
    for (const a of args)
      for (const s of scalarsOf(a)) if (best === null || dir * compareAuto(s, best) > 0) best = s;
    return best;
  };
}

const generators = new WeakMap<EvalContext, () => number>();

/** mulberry32: a small, well-distributed seeded generator for reproducible random(). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function random(ctx: EvalContext): number {
  let g = generators.get(ctx);
  if (!g) {
    g = ctx.seed === undefined ? Math.random : seeded(ctx.seed);
    generators.set(ctx, g);
  }
  return Math.floor(g() * 2147483648);
}

export const MATH: FunctionTable = {
  round: {
    minArgs: 1,
    maxArgs: 2,
    signature: 'round(x, [digits])',
    impl: ([x, d]) => {
      const n = numberOf(x!);
      const digits = d === undefined ? 0 : numberOf(d);
      if (n === null || digits === null) return null;
      return finite(roundHalfAway(n, Math.trunc(digits)));
    },
  },
  floor: unary('floor', Math.floor),
  ceil: unary('ceil', Math.ceil),
  ceiling: unary('ceiling', Math.ceil),
  abs: unary('abs', Math.abs),
  sqrt: unary('sqrt', (x) => (x < 0 ? null : Math.sqrt(x))),
  exp: unary('exp', Math.exp),
  ln: unary('ln', (x) => (x <= 0 ? null : Math.log(x))),
  log: {
    minArgs: 1,
    maxArgs: 2,
    signature: 'log(x, [base])',
    impl: ([x, b]) => {
      const n = numberOf(x!);
      const base = b === undefined ? 10 : numberOf(b);
      if (n === null || base === null || n <= 0 || base <= 0 || base === 1) return null;
      return finite(base === 10 ? Math.log10(n) : base === 2 ? Math.log2(n) : Math.log(n) / Math.log(base));
    },
  },
  pow: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'pow(x, y)',
    impl: ([x, y]) => {
      const a = numberOf(x!);
      const b = numberOf(y!);
      return a === null || b === null ? null : finite(a ** b);
    },
  },
  min: { minArgs: 1, maxArgs: Infinity, signature: 'min(x, …)', impl: extreme(-1) },
  max: { minArgs: 1, maxArgs: Infinity, signature: 'max(x, …)', impl: extreme(1) },
  random: { minArgs: 0, maxArgs: 0, signature: 'random()', impl: (_a, ctx) => random(ctx) },
  pi: { minArgs: 0, maxArgs: 0, signature: 'pi()', impl: () => Math.PI },
};
