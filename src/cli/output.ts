/** Shared CLI plumbing: exit codes, colour decisions, fatal error reporting. */
import pc from 'picocolors';
import { TrailguardError, TrailguardErrors, renderError } from '../errors.js';
import { stateError } from '../state/db.js';
import { fileWriteError } from '../state/csv.js';

export const EXIT = { ok: 0, search: 1, usage: 2 } as const;

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

const USAGE_PHASES = new Set(['usage', 'input', 'content', 'state']);

/** Prints an error to stderr and returns the exit code it deserves. */
export function reportFatal(err: unknown): number {
  const colour = useColour();
  const paint = (s: string) => (colour ? pc.red(s) : s);
  if (err instanceof TrailguardErrors) {
    for (const e of err.errors) process.stderr.write(paint(renderError(e)) + '\n\n');
    return err.errors.some((e) => USAGE_PHASES.has(e.phase)) ? EXIT.usage : EXIT.search;
  }
  const path = (err as NodeJS.ErrnoException | null)?.path;
  const translated = stateError(err) ?? (typeof path === 'string' ? fileWriteError(err, path) : undefined);
  if (translated) err = translated;
  if (err instanceof TrailguardError) {
    process.stderr.write(paint(renderError(err)) + '\n');
    return USAGE_PHASES.has(err.phase) ? EXIT.usage : EXIT.search;
  }
  const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(paint(`trailguard: internal error: ${msg}`) + '\n');
  return EXIT.search;
}
