/** `apply <model> [key=value…] [as <name>]` (MLTK.md §2, §3.6). */
import type { ApplyCommand, Options } from '../ast.js';
import { SPL } from '../codes.js';
import type { Parser } from '../parser.js';
import type { CommandSyntax } from './types.js';

/** ML-SPL model names (MLTK.md §2): an identifier, optionally prefixed `app:` or `user:`. */
export const MODEL_NAME = /^(?:(?:app|user):)?[A-Za-z_][A-Za-z0-9_]*$/;

/** A model name token, checked against MODEL_NAME. */
export function modelName(p: Parser): string {
  const t = p.peek();
  if (t.kind !== 'word' && t.kind !== 'string') p.expected('a model name', t);
  p.advance(t);
  if (!MODEL_NAME.test(t.value)) {
    p.fail(SPL.unexpected, `invalid model name \`${t.value}\`: a model name starts with a letter or \`_\` and holds only letters, digits and \`_\``, t.span, ['for example `into cloud_api_calls_v1`']);
  }
  return t.value;
}

export const apply: CommandSyntax = (p, _name, start) => {
  const options: Options = p.options();
  const model = modelName(p);
  let as: string | null = null;
  for (;;) {
    const t = p.peek();
    if (p.atCommandEnd(t)) break;
    if (p.tryOptionInto(options)) continue;
    if (p.isWordCI(t, 'as') && as === null) {
      as = p.optionalAs();
      continue;
    }
    p.fail(SPL.unexpected, `unexpected ${p.describe(t)} in \`apply\``, t.span, ['apply takes a model name, key=value options and `as <name>`']);
  }
  const c: ApplyCommand = { kind: 'command', name: 'apply', model, as, options, span: p.spanFrom(start) };
  return c;
};
