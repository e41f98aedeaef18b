/**
 * Command options the engine does not implement fail at plan time with a clear message, instead
 * of being silently ignored and giving results that differ from Splunk's.
 */
import { TrailguardError } from '../errors.js';
import type { Command, Options } from '../spl/ast.js';

export function rejectOptions(cmd: Command & { options: Options }, unsupported: readonly string[], hint?: string): void {
  for (const key of Object.keys(cmd.options)) {
    if (!unsupported.includes(key.toLowerCase())) continue;
    // An option spelled out with its default off value asks for nothing.
    if (/^(f|false|0|no)$/i.test(cmd.options[key] ?? '')) continue;
    throw new TrailguardError({
      code: 'E_UNSUPPORTED_OPTION',
      phase: 'plan',
      span: cmd.span,
      reason: `${cmd.name}: option ${key}= is not supported by Trailguard`,
      hints: hint ? [hint] : [`remove ${key}= or rewrite the search without it`],
    });
  }
}
