/** The output types `trailguard.yml` can name. */
import { TrailguardError } from '../../errors.js';
import type { OutputConfig } from '../config.js';
import { jsonlOutput } from './jsonl.js';
import { ocsfOutput } from './ocsf.js';
import { webhookOutput } from './webhook.js';
import type { Output, OutputContext, OutputType } from './types.js';

export type { Output, OutputContext, OutputType, DrainResult } from './types.js';

export const OUTPUT_TYPES: readonly OutputType[] = [jsonlOutput, webhookOutput, ocsfOutput];

export function createOutput(cfg: OutputConfig, ctx: OutputContext): Output {
  const t = OUTPUT_TYPES.find((o) => o.type === cfg.type);
  if (t === undefined) {
    throw new TrailguardError({
      code: 'E_CONFIG', phase: 'usage', location: { file: cfg.file, line: cfg.line },
      reason: `unknown output type \`${cfg.type}\` (known: ${OUTPUT_TYPES.map((o) => o.type).join(', ')})`,
    });
  }
  return t.create(cfg, ctx);
}
