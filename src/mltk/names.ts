/**
 * Which models a parsed search fits and which it applies (for `validate`, and for naming the
 * baseline that fits a missing model). Subsearches (join, append, search filters) are included.
 */
import type { Command, Pipeline } from '../spl/ast.js';

/** The stored name of a model as written in SPL: `app:`/`user:` namespaces share one store. */
export function bareModelName(name: string): string {
  return name.replace(/^(app|user):/, '');
}

function visitCommands(node: unknown, visit: (c: Command) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) visitCommands(x, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.kind === 'command') visit(o as unknown as Command);
  for (const [k, v] of Object.entries(o)) if (k !== 'span' && typeof v === 'object') visitCommands(v, visit);
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

/** Models the pipeline reads: `apply <m>` and `summary <m>`. */
export function applyModelNames(p: Pipeline): string[] {
  const out: string[] = [];
  visitCommands(p, (c) => {
    if (c.name === 'apply' || c.name === 'summary') out.push(bareModelName(c.model));
  });
  return unique(out);
}

/** Models the pipeline writes: `fit … into <m>`. */
export function fittedModelNames(p: Pipeline): string[] {
  const out: string[] = [];
  visitCommands(p, (c) => {
    if (c.name === 'fit' && c.into !== null) out.push(bareModelName(c.into));
  });
  return unique(out);
}
