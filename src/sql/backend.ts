/** What executes a search's SQL for one run: DuckDB (engine.ts) or Athena (athena.ts). */
import type { RunContext } from '../engine/context.js';
import type { SqlPlan } from './planner.js';
import type { Profile } from './profile.js';
import type { DialectName } from './render.js';

export interface Backend {
  dialect: DialectName;
  profile: Profile;
  /** Name of the source relation in the rendered SQL. */
  source: string;
  prepare(plan: SqlPlan, ctx: RunContext): Promise<void>;
  run(sql: string, ctx: RunContext): Promise<unknown[][]>;
  /** Array columns must come back as JSON text (Athena). */
  readonly jsonArrays?: boolean;
  close(): void;
  /** Whether the whole pipeline can run in-process when nothing can be pushed. */
  local: boolean;
}
