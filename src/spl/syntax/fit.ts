/**
 * `fit <Algorithm> <tokens…>` (MLTK.md §2): after the algorithm name, clauses in any order —
 * `into [app:|user:]<model>` (once), `by <list>` (once; one token, outer quotes removed, split on
 * `,`, names trimmed), `as <name>`, `key=value`, and any other token is a feature field. Keywords
 * are case-insensitive. Targets (`from`, `~`) belong to supervised algorithms and are rejected.
 */
import type { FitCommand, Options } from '../ast.js';
import { SPL } from '../codes.js';
import type { Parser } from '../parser.js';
import type { CommandSyntax } from './types.js';
import { modelName } from './apply.js';

/** `by` list: one word or quoted string split on commas; `by a, b` (commas as tokens) is read too. */
export function byList(p: Parser): string[] {
  const out: string[] = [];
  const add = (text: string, span: { start: number; end: number }) => {
    for (const part of text.split(',')) {
      const name = part.trim();
      if (name === '') p.fail(SPL.unexpected, 'empty field name in the `by` list', span, ['write the by-fields as one quoted, comma-separated list: by "user,HourOfDay"']);
      out.push(name);
    }
  };
  const first = p.peek();
  if (first.kind !== 'word' && first.kind !== 'string') p.expected('the by-fields after `by` (for example by "user,HourOfDay")', first);
  p.advance(first);
  add(first.value, first.span);
  while (p.peek().kind === 'comma') {
    p.next();
    const t = p.peek();
    if (t.kind !== 'word' && t.kind !== 'string') p.expected('a by-field after `,`', t);
    p.advance(t);
    add(t.value, t.span);
  }
  return out;
}

export const fit: CommandSyntax = (p, _name, start) => {
  const algo = p.peek();
  if (algo.kind !== 'word' || /=/.test(p.peekAt(algo.span.end).text)) p.expected('an algorithm name after `fit` (for example `fit DensityFunction count`)', algo);
  p.advance(algo);
  const features: string[] = [];
  const options: Options = {};
  let by: string[] | null = null;
  let into: string | null = null;
  let as: string | null = null;
  for (;;) {
    const t = p.peek();
    if (p.atCommandEnd(t)) break;
    if (p.tryOptionInto(options)) continue;
    if (p.isWordCI(t, 'into')) {
      if (into !== null) p.fail(SPL.unexpected, '`into` may be given only once', t.span);
      p.advance(t);
      into = modelName(p);
      continue;
    }
    if (p.isWordCI(t, 'by')) {
      if (by !== null) p.fail(SPL.unexpected, '`by` may be given only once', t.span, ['list every by-field in one quoted, comma-separated list: by "a,b"']);
      p.advance(t);
      by = byList(p);
      continue;
    }
    if (p.isWordCI(t, 'as')) {
      if (as !== null) p.fail(SPL.unexpected, '`as` may be given only once', t.span);
      as = p.optionalAs();
      continue;
    }
    if (p.isWordCI(t, 'from') || p.isWord(t, '~')) {
      p.fail(SPL.unexpected, `\`${t.text}\` starts the target fields of a supervised algorithm; Trailguard's fit supports DensityFunction, which takes none`, t.span);
    }
    if (t.kind === 'comma') p.fail(SPL.unexpected, 'unexpected `,` between fit arguments', t.span, ['quote comma lists: by "a,b", threshold="0.01,0.005"']);
    features.push(p.fieldName('a feature field'));
  }
  const c: FitCommand = { kind: 'command', name: 'fit', algorithm: algo.text, features, by: by ?? [], into, as, options, span: p.spanFrom(start) };
  return c;
};
