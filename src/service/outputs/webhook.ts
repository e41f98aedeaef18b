/**
 * `{ type: webhook, url, headers, timeout, retries, backoff, dead_letter }`: one JSON POST per
 * finding. The body is the finding document exactly (the line `detect --format json` prints); the
 * stored finding's id travels in an `Idempotency-Key` header, so a receiver can drop repeats.
 *
 * Delivery is at-least-once: the outbox row is marked delivered only after a 2xx, and a delivered
 * row is never sent again. 408, 429, 5xx, timeouts and connection errors are retried with
 * exponential backoff and jitter (a `Retry-After` is honoured), up to `retries` retries; other
 * answers (4xx, redirects) are permanent. A finding given up on is appended to the dead-letter file
 * with its last error. One drain tries each due finding at most once and stops early when the
 * receiver looks down, so a drain never holds the service for long; the outbox's `next_attempt`
 * says when a finding is tried again.
 */
import { dirname, resolve } from 'node:path';
import { TrailguardError } from '../../errors.js';
import type { Outbox, OutboxItem } from '../../state/outbox.js';
import { redact, type OutputConfig } from '../config.js';
import { appendLines, checkKeys } from './jsonl.js';
import type { DrainResult, Output, OutputContext, OutputType } from './types.js';
import { parseDuration } from '../../util/duration.js';

export interface WebhookSettings {
  url: URL;
  headers: Record<string, string>;
  /** Per request, milliseconds. */
  timeoutMs: number;
  /** Retries after the first attempt; the finding is dead after 1 + retries failed attempts. */
  retries: number;
  /** Seconds. */
  backoff: { initial: number; max: number };
  deadLetter: string;
}

export const WEBHOOK_DEFAULTS = { timeoutMs: 10_000, retries: 10, backoff: { initial: 5, max: 1800 } } as const;

const KEYS = ['url', 'headers', 'timeout', 'retries', 'backoff', 'dead_letter'];
/** Headers Trailguard sets itself. */
const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'idempotency-key', 'host', 'transfer-encoding', 'connection']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Several failures in a row (connection refused, 5xx, timeouts): the receiver is down; the rest waits for the next drain. */
const MAX_CONSECUTIVE_FAILURES = 3;
/** A drain starts no new request after this long (the rest waits for the next drain). */
const DRAIN_BUDGET_MS = 30_000;
/** Failures are logged at most this often per output (a down receiver is retried every few seconds). */
const LOG_EVERY_MS = 60_000;

function configError(cfg: OutputConfig, reason: string, hint?: string): TrailguardError {
  return new TrailguardError({
    code: 'E_CONFIG', phase: 'usage', reason: `output \`webhook\`: ${reason}`, location: { file: cfg.file, line: cfg.line },
    hints: [hint ?? `fix the output in ${cfg.file}; see \`trailguard run --help\``],
  });
}

function duration(cfg: OutputConfig, key: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const s = parseDuration(v, ['ms', 's', 'm', 'h']);
  // Waits and timeouts must be positive and finite.
  if (s === undefined || !(s > 0) || !Number.isFinite(s)) throw configError(cfg, `\`${key}\` must be a duration such as 500ms, 10s, 5m or 1h, got ${JSON.stringify(v)}`);
  return s;
}

/** Checks a webhook entry of trailguard.yml; errors name the file and the entry's line. */
export function webhookSettings(cfg: OutputConfig, ctx: Pick<OutputContext, 'secrets' | 'stateDir'>): WebhookSettings {
  checkKeys(cfg, KEYS);
  const o = cfg.options;
  if (typeof o.url !== 'string' || o.url === '') throw configError(cfg, 'needs `url:` (http:// or https://)', 'for example url: "https://hooks.example.com/trailguard"');
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw configError(cfg, `\`url\` is not a valid URL: "${redact(o.url, ctx.secrets)}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw configError(cfg, `\`url\` must be http:// or https://, got ${url.protocol}//`);

  const headers: Record<string, string> = {};
  if (o.headers !== undefined && o.headers !== null) {
    if (typeof o.headers !== 'object' || Array.isArray(o.headers)) throw configError(cfg, '`headers` must be a mapping of header names to values', 'for example headers: { Authorization: "Bearer ${HOOK_TOKEN}" }');
    for (const [name, value] of Object.entries(o.headers as Record<string, unknown>)) {
      if (!HEADER_NAME.test(name)) throw configError(cfg, `\`headers\`: "${name}" is not a valid header name`);
      if (RESERVED_HEADERS.has(name.toLowerCase())) throw configError(cfg, `\`headers\`: ${name} is set by Trailguard and cannot be configured`);
      // The value is never shown: headers usually hold credentials.
      if ((typeof value !== 'string' && typeof value !== 'number') || /[\r\n\0]/.test(String(value))) throw configError(cfg, `\`headers\`: the value of ${name} must be a single-line string`);
      headers[name] = String(value);
    }
  }

  const timeoutMs = Math.round(duration(cfg, 'timeout', o.timeout, WEBHOOK_DEFAULTS.timeoutMs / 1000) * 1000);
  let retries: number = WEBHOOK_DEFAULTS.retries;
  if (o.retries !== undefined) {
    if (typeof o.retries !== 'number' || !Number.isInteger(o.retries) || o.retries < 0 || o.retries > 100) throw configError(cfg, '`retries` must be a whole number from 0 to 100');
    retries = o.retries;
  }
  const backoff: { initial: number; max: number } = { ...WEBHOOK_DEFAULTS.backoff };
  if (o.backoff !== undefined) {
    const b = o.backoff as Record<string, unknown>;
    if (b === null || typeof b !== 'object' || Array.isArray(b)) throw configError(cfg, '`backoff` must be a mapping: { initial: 5s, max: 30m }');
    for (const k of Object.keys(b)) if (k !== 'initial' && k !== 'max') throw configError(cfg, `unknown key \`backoff.${k}\` (known: initial, max)`);
    backoff.initial = duration(cfg, 'backoff.initial', b.initial, backoff.initial);
    backoff.max = duration(cfg, 'backoff.max', b.max, Math.max(backoff.max, backoff.initial));
    if (backoff.max < backoff.initial) throw configError(cfg, '`backoff.max` is shorter than `backoff.initial`');
  }

  let deadLetter: string;
  if (o.dead_letter !== undefined) {
    if (typeof o.dead_letter !== 'string' || o.dead_letter === '') throw configError(cfg, '`dead_letter` must be a file path');
    deadLetter = resolve(dirname(resolve(cfg.file)), o.dead_letter);
  } else {
    deadLetter = resolve(ctx.stateDir, 'dead-letter', `${url.host.replace(/[^A-Za-z0-9.-]/g, '_')}.jsonl`);
  }
  return { url, headers, timeoutMs, retries, backoff, deadLetter };
}

/** Seconds before retry number `failures` (1 = after the first failed attempt): exponential, capped, with "equal jitter" (half fixed, half random). */
export function backoffDelay(failures: number, backoff: { initial: number; max: number }, random: () => number = Math.random): number {
  const d = Math.min(backoff.max, backoff.initial * 2 ** Math.max(0, failures - 1));
  return d / 2 + random() * (d / 2);
}

/** `Retry-After: <seconds>` or an HTTP date → seconds from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, (t - nowMs) / 1000);
}

type Attempt = { ok: true } | { ok: false; permanent: boolean; error: string; retryAfter?: number };

/** What an HTTP status means for delivery. */
export function classifyStatus(status: number): 'delivered' | 'retry' | 'permanent' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'permanent';
}

function describeError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s (timeout)`;
  if (e?.cause) return `${e.cause.code ?? 'error'}: ${e.cause.message ?? String(e.cause)}`;
  return e?.message ?? String(err);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

class WebhookOutput implements Output {
  readonly key: string;
  /** The URL for messages: no credentials, no query string, secrets masked (a path can hold a token). */
  private readonly shown: string;
  private readonly secrets: string[];
  private lastLog = 0;

  constructor(private readonly s: WebhookSettings, private readonly ctx: OutputContext) {
    const userinfo = [s.url.password, s.url.username].flatMap((x) => [x, safeDecode(x)]);
    this.secrets = [...ctx.secrets, ...Object.values(s.headers), ...userinfo].filter((x) => x.length >= 4);
    const bare = new URL(s.url.href);
    bare.username = '';
    bare.password = '';
    // The key survives restarts and secret rotation: credentials out, expanded secrets masked.
    this.key = `webhook:${redact(bare.href, this.secrets)}`;
    this.shown = redact(`${bare.origin}${bare.pathname}${bare.search ? '?…' : ''}`, this.secrets);
  }

  private redact(text: string): string {
    return redact(text, this.secrets);
  }

  private log(msg: string): void {
    this.ctx.log(this.redact(msg));
  }

  private async attempt(item: OutboxItem): Promise<Attempt> {
    let res: Response;
    try {
      res = await fetch(this.s.url, {
        method: 'POST',
        headers: { ...this.s.headers, 'Content-Type': 'application/json', 'Idempotency-Key': item.findingId, 'User-Agent': 'trailguard' },
        body: JSON.stringify(item.doc),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.s.timeoutMs),
      });
    } catch (err) {
      return { ok: false, permanent: false, error: describeError(err, this.s.timeoutMs) };
    }
    const verdict = classifyStatus(res.status);
    let body = '';
    try {
      // Read the answer so the connection can be reused; only a little of it goes into errors.
      body = (await res.text()).replace(/\s+/g, ' ').trim().slice(0, 200);
    } catch {
      // The status line is what counts; a body cut short changes nothing.
    }
    if (verdict === 'delivered') return { ok: true };
    const what = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${body ? `: ${body}` : ''}`;
    if (res.status >= 300 && res.status < 400) {
      return { ok: false, permanent: true, error: `${what} (redirects are not followed: configure the final URL${res.headers.get('location') ? `, ${res.headers.get('location')}` : ''})` };
    }
    return { ok: false, permanent: verdict === 'permanent', error: what, retryAfter: verdict === 'retry' ? parseRetryAfter(res.headers.get('retry-after'), Date.now()) : undefined };
  }

  async drain(outbox: Outbox, now?: number): Promise<DrainResult> {
    const started = Date.now();
    const result: DrainResult = { delivered: 0, retrying: 0, dead: 0 };
    const tried = new Set<string>();
    let consecutive = 0;
    let lastError = '';
    let stoppedEarly = false;
    outer: for (;;) {
      const items = outbox.due(this.key, now ?? Date.now() / 1000).filter((i) => !tried.has(i.findingId));
      if (items.length === 0) break;
      for (const item of items) {
        if (consecutive >= MAX_CONSECUTIVE_FAILURES || Date.now() - started > DRAIN_BUDGET_MS) {
          stoppedEarly = true;
          break outer;
        }
        tried.add(item.findingId);
        const r = await this.attempt(item);
        if (r.ok) {
          outbox.delivered(this.key, [item.findingId]);
          result.delivered++;
          consecutive = 0;
          continue;
        }
        const error = this.redact(r.error);
        lastError = error;
        const attempts = item.attempts + 1;
        const clock = Date.now() / 1000;
        if (r.permanent || attempts > this.s.retries) {
          const why = r.permanent ? 'permanent failure' : `gave up after ${attempts} attempt(s)`;
          appendLines(this.s.deadLetter, [JSON.stringify({ time: iso(Date.now()), output: this.shown, finding_id: item.findingId, attempts, error: `${why}: ${error}`, finding: item.doc }) + '\n']);
          outbox.failed(this.key, item.findingId, `${why}: ${error}`, clock, true);
          result.dead++;
          this.log(`webhook ${this.shown}: finding ${item.findingId} written to the dead-letter file ${this.s.deadLetter} (${why}: ${error})`);
        } else {
          const wait = Math.max(backoffDelay(attempts, this.s.backoff), r.retryAfter ?? 0);
          outbox.failed(this.key, item.findingId, error, clock + wait, false);
          result.retrying++;
        }
        consecutive = r.permanent ? 0 : consecutive + 1;
      }
    }
    if (result.retrying > 0 && Date.now() - this.lastLog >= LOG_EVERY_MS) {
      this.lastLog = Date.now();
      this.log(`webhook ${this.shown}: ${result.delivered} delivered, ${result.retrying} failed and will be retried${stoppedEarly ? ' (the receiver looks down; the rest waits)' : ''}; last error: ${lastError}`);
    }
    return result;
  }

  async close(): Promise<void> {}
}

export const webhookOutput: OutputType = {
  type: 'webhook',
  create(cfg, ctx) {
    return new WebhookOutput(webhookSettings(cfg, ctx), ctx);
  },
};
