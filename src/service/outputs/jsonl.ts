/**
 * `{ type: jsonl, path: findings.jsonl }`: appends each new finding as one JSON line (the line
 * `detect --format json` prints) and fsyncs once per drain, before marking them delivered.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TrailguardError } from '../../errors.js';
import type { OutputConfig } from '../config.js';
import type { Outbox, OutboxItem } from '../../state/outbox.js';
import type { DrainResult, Output, OutputType } from './types.js';

export function appendLines(file: string, lines: readonly string[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a', 0o600);
  try {
    const buf = Buffer.from(lines.join(''), 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function requirePath(cfg: OutputConfig): string {
  const p = cfg.options.path;
  if (typeof p !== 'string' || p === '') {
    throw new TrailguardError({ code: 'E_CONFIG', phase: 'usage', reason: `output \`${cfg.type}\` needs \`path:\` (the file to append to)`, location: { file: cfg.file, line: cfg.line } });
  }
  return resolve(p);
}

export function checkKeys(cfg: OutputConfig, allowed: readonly string[]): void {
  for (const k of Object.keys(cfg.options)) {
    if (k !== 'type' && !allowed.includes(k)) {
      throw new TrailguardError({ code: 'E_CONFIG', phase: 'usage', reason: `output \`${cfg.type}\`: unknown key \`${k}\` (known: ${allowed.join(', ')})`, location: { file: cfg.file, line: cfg.line } });
    }
  }
}

/** Appends one line per finding to a file (`format` makes the line, newline included), one fsync per batch. */
export class LinesOutput implements Output {
  readonly key: string;
  constructor(type: string, private readonly file: string, private readonly format: (item: OutboxItem) => string) {
    this.key = `${type}:${file}`;
  }
  async drain(outbox: Outbox, now?: number): Promise<DrainResult> {
    let delivered = 0;
    for (;;) {
      const items = outbox.due(this.key, now);
      if (items.length === 0) break;
      appendLines(this.file, items.map(this.format));
      outbox.delivered(this.key, items.map((i) => i.findingId));
      delivered += items.length;
    }
    return { delivered, retrying: 0, dead: 0 };
  }
  async close(): Promise<void> {}
}

export const jsonlOutput: OutputType = {
  type: 'jsonl',
  create(cfg) {
    checkKeys(cfg, ['path']);
    return new LinesOutput('jsonl', requirePath(cfg), (i) => JSON.stringify(i.doc) + '\n');
  },
};
