/** Multivalue functions: split, mvcount, mvindex, mvjoin, mvappend, mvdedup, mvfind, mvfilter, mvsort. */
import type { FunctionTable } from './types.js';
import { exprFieldNames } from '../../spl/expr-walk.js';
import type { FieldGetter } from '../context.js';
import { numberOf, scalarsOf, textOf, truth } from '../ops.js';
import { compareLexical } from '../compare.js';
import { mv, toText, type Scalar, type Value } from '../value.js';
import { compileRegex, firstFoundIn, type BoundedRegex } from '../regex.js';

/** A row view in which one field holds a single value (mvfilter evaluates per value). */
class OneValue implements FieldGetter {
  value: Value = null;
  constructor(private readonly base: FieldGetter, private readonly field: string) {}
  get(name: string): Value {
    return name === this.field ? this.value : this.base.get(name);
  }
}

export const MULTIVALUE: FunctionTable = {
  split: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'split(text, separator)',
    impl: ([s, sep]) => {
      const t = textOf(s!);
      const d = textOf(sep!);
      if (t === null || d === null) return null;
      // Empty pieces are kept (SPL.md §3.6 [verify]); an empty separator splits into characters.
      return mv(d === '' ? [...t] : t.split(d));
    },
  },
  mvcount: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'mvcount(mv)',
    impl: ([v]) => {
      const n = scalarsOf(v!).length;
      return n === 0 ? null : n;
    },
  },
  mvindex: {
    minArgs: 2,
    maxArgs: 3,
    signature: 'mvindex(mv, start, [end])',
    impl: ([v, s, e]) => {
      const vals = scalarsOf(v!);
      const start = numberOf(s!);
      if (vals.length === 0 || start === null) return null;
      const norm = (i: number) => (i < 0 ? vals.length + Math.trunc(i) : Math.trunc(i));
      const a = norm(start);
      if (a < 0 || a >= vals.length) return null;
      if (e === undefined) return vals[a]!;
      const endN = numberOf(e);
      if (endN === null) return null;
      // End index is inclusive; past the end is clamped.
      const b = Math.min(norm(endN), vals.length - 1);
      return b < a ? null : mv(vals.slice(a, b + 1));
    },
  },
  mvjoin: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'mvjoin(mv, delimiter)',
    impl: ([v, d]) => {
      const vals = scalarsOf(v!);
      const delim = textOf(d!);
      if (vals.length === 0 || delim === null) return null;
      return vals.map(toText).join(delim);
    },
  },
  mvappend: {
    minArgs: 1,
    maxArgs: Infinity,
    signature: 'mvappend(x, y, …)',
    impl: (args) => mv(args.flatMap((a) => scalarsOf(a))),
  },
  mvdedup: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'mvdedup(mv)',
    impl: ([v]) => {
      const seen = new Set<string>();
      const out: Scalar[] = [];
      for (const s of scalarsOf(v!)) {
        const k = toText(s);
        if (!seen.has(k)) {
          seen.add(k);
          out.push(s);
        }
      }
      return mv(out);
    },
  },
  mvsort: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'mvsort(mv)',
    impl: ([v]) => mv([...scalarsOf(v!)].sort(compareLexical)),
  },
  mvfind: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'mvfind(mv, regex)',
    impl: ([v, r], ctx) => {
      const pattern = textOf(r!);
      const vals = scalarsOf(v!);
      if (pattern === null || vals.length === 0) return null;
      let re: BoundedRegex;
      try {
        re = compileRegex(pattern);
      } catch (e) {
        ctx.warn?.(`mvfind(): invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
        return null;
      }
      const i = firstFoundIn(re, vals.map(toText), 'mvfind()', ctx.warn);
      return i < 0 ? null : i;
    },
  },
  mvfilter: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'mvfilter(condition on one field)',
    compile: ([pred], [expr]) => {
      const fields = [...exprFieldNames(expr!)];
      const field = fields[0];
      if (field === undefined) return () => null;
      return (row, ctx) => {
        const view = new OneValue(row, field);
        const kept: Scalar[] = [];
        for (const s of scalarsOf(row.get(field))) {
          view.value = s;
          if (truth(pred!(view, ctx)) === true) kept.push(s);
        }
        return mv(kept);
      };
    },
  },
};
