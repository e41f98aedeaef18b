/**
 * Naming the command a run-time error came from: `command N (name): …`, and `in the subsearch of
 * command M (name): …` when it comes from a nested pipeline. Its own module so that both the
 * pipeline and the parallel scan (which rebuilds errors reported by worker threads) use it
 * without importing each other.
 */
import { TrailguardError } from '../errors.js';
import type { CommandPlan } from './operator.js';

/** Runs an operator call, naming the command and its position in any runtime error. */
export async function guard<T>(plan: Pick<CommandPlan, 'position' | 'command'>, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw locateError(plan, err);
  }
}

const LOCATED = Symbol('located');

/** Marks an error as already naming its command (one rebuilt from a worker thread's report). */
export function markLocated(err: TrailguardError): TrailguardError {
  (err as unknown as Record<symbol, unknown>)[LOCATED] = true;
  return err;
}

function locateError(plan: Pick<CommandPlan, 'position' | 'command'>, err: unknown): unknown {
  const where = `command ${plan.position} (${plan.command.name})`;
  if (err instanceof TrailguardError && (err as unknown as Record<symbol, unknown>)[LOCATED]) {
    // Already located inside a subsearch: say which outer command's subsearch it was.
    const out = new TrailguardError({ ...err, hints: err.hints, reason: `in the subsearch of ${where}: ${err.reason}` });
    (out as unknown as Record<symbol, unknown>)[LOCATED] = true;
    return out;
  }
  let out: TrailguardError;
  if (err instanceof TrailguardError) {
    out = new TrailguardError({
      code: err.code,
      phase: err.phase,
      reason: `${where}: ${err.reason}`,
      span: err.span ?? plan.command.span,
      source: err.source,
      hints: err.hints,
      location: err.location,
    });
  } else if (err instanceof Error && !(err.name === 'TrailguardErrors')) {
    out = new TrailguardError({ code: 'E_RUNTIME', phase: 'runtime', reason: `${where}: ${err.message}`, span: plan.command.span });
  } else {
    return err;
  }
  (out as unknown as Record<symbol, unknown>)[LOCATED] = true;
  return out;
}
