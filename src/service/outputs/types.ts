/**
 * Outputs deliver findings where teams look. Each configured output has a stable key; the
 * findings of a tick are queued for every output in the tick's transaction (src/state/outbox.ts),
 * and after the commit each output drains its queue. Adding an output type means adding one module
 * and one line to the registry (./index.ts).
 */
import type { OutputConfig } from '../config.js';
import type { Outbox } from '../../state/outbox.js';

export interface DrainResult {
  delivered: number;
  /** Items that failed this time and will be retried later. */
  retrying: number;
  /** Items given up after the retry budget (written to a dead-letter file). */
  dead: number;
}

export interface Output {
  /** Stable identity of the output across restarts (type and target). */
  readonly key: string;
  /** Delivers what is due in the outbox; never throws for a delivery failure. */
  drain(outbox: Outbox, now?: number): Promise<DrainResult>;
  close(): Promise<void>;
}

export interface OutputContext {
  /** Values never to print (secrets from the config). */
  secrets: readonly string[];
  /** The state directory (dead-letter files default beside it). */
  stateDir: string;
  log: (msg: string) => void;
}

export interface OutputType {
  type: string;
  /** Validates the config entry (errors with file:line) and builds the output. */
  create(cfg: OutputConfig, ctx: OutputContext): Output;
}
