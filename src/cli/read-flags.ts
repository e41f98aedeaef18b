/**
 * The input-reading flags every command that reads --data shares (search, fields; detect and
 * baseline take the same): --max-record-bytes and --strict, turned into SearchSetup/ReadOptions.
 */
import type { Command } from 'commander';
import { TrailguardError } from '../errors.js';
import { DEFAULT_MAX_RECORD_BYTES } from '../sources/index.js';

export interface ReadFlags {
  maxRecordBytes?: string;
  strict?: boolean;
}

const UNITS: Record<string, number> = { '': 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** `8388608`, `8MiB`, `512k`… (binary units) as bytes; a usage error otherwise. */
export function parseByteSize(flag: string, text: string): number {
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const n = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new TrailguardError({
      code: 'E_USAGE', phase: 'usage',
      reason: `${flag} must be a positive size in bytes (e.g. 8388608, 16MiB, 512k), got "${text}"`,
    });
  }
  return n;
}

/** Adds --max-record-bytes and --strict to a command. */
export function addReadFlags(cmd: Command): Command {
  return cmd
    .option('--max-record-bytes <size>', `skip (and report) records larger than this, so no input can exhaust memory (default ${DEFAULT_MAX_RECORD_BYTES / 1024 / 1024}MiB; units k, M, G)`)
    .option('--strict', 'stop at the first bad input record (unparsable, oversized, truncated …) instead of skipping it');
}

/** The ReadOptions/SearchSetup fields from the flags. */
export function readOptionsFrom(flags: ReadFlags): { maxRecordBytes?: number; strict?: boolean } {
  const out: { maxRecordBytes?: number; strict?: boolean } = {};
  if (flags.maxRecordBytes !== undefined) out.maxRecordBytes = parseByteSize('--max-record-bytes', flags.maxRecordBytes);
  if (flags.strict) out.strict = true;
  return out;
}
