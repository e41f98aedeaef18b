/** Test helpers for the SPL front end: span-free comparison and quick accessors. */
import assert from 'node:assert/strict';
import { TrailguardError, TrailguardErrors } from '../../src/errors.js';
import type { Command, Pipeline, SearchExpr } from '../../src/spl/ast.js';
import { parsePipeline } from '../../src/spl/index.js';

/** Deep copy without `span` keys, for comparing trees parsed from different texts. */
export function noSpans<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === 'span' && typeof v === 'object' ? undefined : v))) as T;
}

export function first(text: string): Command {
  return parsePipeline(text).commands[0]!;
}

export function searchOf(text: string): SearchExpr {
  const c = first(text);
  assert.equal(c.name, 'search');
  return (c as { expr: SearchExpr }).expr;
}

/** Parses and returns the errors (fails when the text parses). */
export function errorsOf(text: string, parse: (t: string) => unknown = parsePipeline): TrailguardError[] {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof TrailguardErrors) return err.errors;
    if (err instanceof TrailguardError) return [err];
    throw err;
  }
  assert.fail(`expected errors for ${JSON.stringify(text)}`);
}

/** Compact s-expression of a search tree: (and a=b (or c=d e=f)). */
export function sx(e: SearchExpr | null): string {
  if (!e) return '()';
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${e.kind} ${e.terms.map(sx).join(' ')})`;
    case 'not':
      return `(not ${sx(e.term)})`;
    case 'compare':
      return `${e.field}${e.op}${e.value.quoted ? JSON.stringify(e.value.text) : e.value.text}`;
    case 'in':
      return `(in ${e.field} ${e.values.map((v) => v.text).join(' ')})`;
    case 'word':
      return e.value.quoted ? JSON.stringify(e.value.text) : e.value.text;
    case 'time':
      return `${e.which}@${e.value}`;
    case 'subsearch':
      return `[${e.pipeline.commands.map((c) => c.name).join('|')}]`;
  }
}

export type { Pipeline };
