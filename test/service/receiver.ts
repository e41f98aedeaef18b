/**
 * For output tests: a local HTTP receiver on 127.0.0.1 that records every request and answers as
 * the test says, and findings seeded straight into a state database's outbox.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StateStore } from '../../src/state/index.js';
import type { FindingDoc, StoredFinding } from '../../src/state/findings.js';
import { Outbox } from '../../src/state/outbox.js';

export interface Received {
  key: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
  /** What the receiver did: an HTTP status, or 'destroyed' (socket closed without an answer). */
  outcome: number | 'destroyed' | 'hung';
  /** True once a 2xx answer was fully handed to the connection. */
  answered2xx: boolean;
}

/** What to do with a request: a status (and headers/body), 'destroy', or 'hang' (never answer). */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'destroy' | 'hang';

export class Receiver {
  readonly requests: Received[] = [];
  private server: Server | undefined;
  port = 0;

  constructor(private readonly reply: (req: { key: string | undefined; body: string; headers: IncomingMessage['headers']; n: number }) => Reply) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Listens on `port` (0: a free one, kept for restarts). */
  async start(port = this.port): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every open connection (a crash of the receiver). */
  async stop(): Promise<void> {
    const s = this.server;
    if (s === undefined) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    s.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = req.headers['idempotency-key'] as string | undefined;
      const body = Buffer.concat(chunks).toString('utf8');
      const rec: Received = { key, headers: req.headers, body, outcome: 'hung', answered2xx: false };
      this.requests.push(rec);
      const r = this.reply({ key, body, headers: req.headers, n: this.requests.length });
      if (r === 'hang') return;
      if (r === 'destroy') {
        rec.outcome = 'destroyed';
        req.socket.destroy();
        return;
      }
      rec.outcome = r.status;
      res.writeHead(r.status, { 'content-type': 'text/plain', ...r.headers });
      res.end(r.body ?? '', () => {
        if (r.status >= 200 && r.status < 300) rec.answered2xx = true;
      });
    });
  }
}

let seq = 0;

/** A finding document as the store holds it (hand-made; only its shape matters to outputs). */
export function findingDoc(over: Partial<FindingDoc> = {}): FindingDoc {
  seq++;
  return {
    detection: { id: 'c1f0a1e2-0000-4000-8000-00000000000' + (seq % 10), name: 'Detect API activity from users without MFA', version: '3', type: 'Hunting' },
    time: new Date(Date.UTC(2026, 10, 20, 12, 0, seq)).toISOString(),
    window: { earliest: '2026-11-20T10:50:00.000Z', latest: '2026-11-20T11:50:00.000Z' },
    risk_score: 25,
    risk_objects: [{ field: 'user', value: `arn:aws:iam::123456789012:user/u${seq}`, type: 'user', role: 'victim' }],
    message: `User u${seq} called APIs without MFA`,
    mitre: [{ id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts', tactics: ['Defense Evasion', 'Persistence', 'Privilege Escalation', 'Initial Access'] }],
    stories: ['Suspicious AWS Login Activities'],
    fields: { user: `arn:aws:iam::123456789012:user/u${seq}`, count: '3', eventName: ['GetCallerIdentity', 'ListBuckets'] },
    ...over,
  };
}

/** Stores `n` findings and queues them for `outputKey`, in one transaction (as a tick does). */
export function seedFindings(state: StateStore, outputKey: string, n: number, doc: () => FindingDoc = findingDoc): StoredFinding[] {
  const list: StoredFinding[] = [];
  for (let i = 0; i < n; i++) {
    const d = doc();
    const t = Date.parse(d.time) / 1000;
    list.push({ id: `finding-${seq}-${i}-${Math.random().toString(36).slice(2, 10)}`, identity: `identity-${seq}-${i}`, doc: d, time: t, earliest: Date.parse(d.window.earliest) / 1000, latest: Date.parse(d.window.latest) / 1000 });
  }
  state.transaction((db) => {
    for (const f of list) state.findings.insert(db, f);
    new Outbox(state.db).enqueue(db, [outputKey], list.map((f) => f.id));
  });
  return list;
}

export function outboxRows(state: StateStore, output: string): { finding_id: string; status: string; attempts: number; next_attempt: number; last_error: string | null }[] {
  return state.db.open().prepare('SELECT finding_id, status, attempts, next_attempt, last_error FROM outbox WHERE output = ? ORDER BY created, finding_id').all(output) as never;
}

/** The stored document text of a finding, byte for byte. */
export function storedDocText(state: StateStore, id: string): string {
  return (state.db.open().prepare('SELECT doc FROM findings WHERE id = ?').get(id) as { doc: string }).doc;
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
