/**
 * The detection service: ticks by each search's cron schedule, runs due baselines before the
 * detections that depend on them, and commits each tick (lookup writes, findings, outbox entries,
 * ledger row) in one transaction, so after a crash or a restart every tick has run exactly once.
 * `replay` runs the same schedule on a simulated clock over historical data.
 */
import type { Content } from '../content/load.js';
import { runBaseline, runDetection, type RunEnvironment, type RunWindow } from '../detect/runner.js';
import type { ScanProgress } from '../engine/context.js';
import type { SearchSetup } from '../engine/session.js';
import { TrailguardError, TrailguardErrors } from '../errors.js';
import type { StoredFinding } from '../state/findings.js';
import { Outbox } from '../state/outbox.js';
import type { StateStore } from '../state/store.js';
import type { Output } from './outputs/index.js';
import { dueTicks, nextTickAfter, serviceSearches, type ScheduledSearch, type Tick } from './schedule.js';

export interface TickLog {
  search: string;
  kind: 'baseline' | 'detection';
  scheduled: number;
  window: RunWindow;
  events: number;
  results: number;
  findings: number;
  durationMs: number;
}

export interface ServiceOptions {
  content: Content;
  state: StateStore;
  dataPaths: string[];
  tz: string;
  maxTicks: number;
  outputs: Output[];
  /** Run the ticks due now and return (cron/systemd timers). */
  once?: boolean;
  /** Simulated clock from..to (epoch seconds), tick by tick, as fast as the machine allows. */
  replay?: { from: number; to: number };
  threads?: number;
  setup?: Partial<SearchSetup>;
  progress?: ScanProgress;
  /** Stops the loop: the tick in progress finishes, nothing after it starts. */
  signal?: AbortSignal;
  /** While the live loop waits for the next tick, outputs with pending retries drain this often (ms; default 5000). */
  drainIntervalMs?: number;
  /** The wall clock (tests replace it). */
  clock?: () => number;
  onFinding?: (f: StoredFinding, tick: Tick) => void;
  onTick?: (log: TickLog) => void;
  onTickDone?: () => void | Promise<void>;
  warn?: (msg: string) => void;
}

export interface ServiceSummary {
  ticks: number;
  skipped: number;
  findings: number;
  failures: { search: string; scheduled: number; error: Error }[];
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class DetectionService {
  private readonly searches: ScheduledSearch[];
  private readonly outbox: Outbox;
  private readonly summary: ServiceSummary = { ticks: 0, skipped: 0, findings: 0, failures: [] };

  constructor(private readonly o: ServiceOptions) {
    const { searches, unsupported } = serviceSearches(o.content, o.tz);
    this.searches = searches;
    for (const d of unsupported) o.warn?.(`detection "${d.name}" is enabled but Trailguard cannot run its SPL; it is not scheduled (see \`trailguard validate\`)`);
    this.outbox = new Outbox(o.state.db);
  }

  private env(now: number): RunEnvironment {
    const o = this.o;
    return { content: o.content, state: o.state, dataPaths: o.dataPaths, now, tz: o.tz, threads: o.threads, setup: o.setup, progress: o.progress, onWarning: (s, m) => o.warn?.(`[${s.name}] ${m}`) };
  }

  /** Runs one tick; a failing search is reported and its tick retried at the next pass. */
  private async runTick(tick: Tick): Promise<void> {
    const s = tick.entry.search;
    const ledger = this.o.state.ledger;
    const outputs = this.o.outputs.map((x) => x.key);
    let findings = 0;
    const hooks = {
      onCommit: (db: Parameters<typeof ledger.record>[0], sum: { window: RunWindow; rows: number; newFindingIds: string[] }) => {
        this.outbox.enqueue(db, outputs, sum.newFindingIds);
        findings = sum.newFindingIds.length;
        ledger.record(db, { searchId: s.id, scheduled: tick.scheduled, searchName: s.name, status: 'done', earliest: sum.window.earliest, latest: sum.window.latest, rows: sum.rows, findings: findings, finished: Date.now() / 1000 });
      },
    };
    try {
      if (s.kind === 'baseline') {
        const b = await runBaseline(s, this.env(tick.scheduled), hooks);
        this.o.onTick?.({ search: s.name, kind: 'baseline', scheduled: tick.scheduled, window: b.window, events: b.eventsScanned, results: [...b.tables.values()].reduce((a, n) => a + n, 0), findings: 0, durationMs: b.durationMs });
      } else {
        const d = await runDetection(s, this.env(tick.scheduled), hooks);
        for (const f of d.findings) if (f.status === 'new') this.o.onFinding?.(f.finding, tick);
        this.o.onTick?.({ search: s.name, kind: 'detection', scheduled: tick.scheduled, window: d.window, events: d.eventsScanned, results: d.rows.length, findings, durationMs: d.durationMs });
      }
      this.summary.ticks++;
      this.summary.findings += findings;
    } catch (err) {
      if (!(err instanceof TrailguardError) && !(err instanceof TrailguardErrors)) throw err;
      this.summary.failures.push({ search: s.name, scheduled: tick.scheduled, error: err });
      this.o.warn?.(`[${s.name}] tick ${new Date(tick.scheduled * 1000).toISOString()} failed and will be retried: ${err.message}`);
    }
  }

  private recordSkipped(ticks: Tick[]): void {
    if (ticks.length === 0) return;
    const by = new Map<string, Tick[]>();
    for (const t of ticks) by.set(t.entry.search.name, [...(by.get(t.entry.search.name) ?? []), t]);
    this.o.state.transaction((db) => {
      for (const t of ticks) this.o.state.ledger.record(db, { searchId: t.entry.search.id, scheduled: t.scheduled, searchName: t.entry.search.name, status: 'skipped', finished: Date.now() / 1000 });
    });
    for (const [name, list] of by) {
      const iso = (t: number) => new Date(t * 1000).toISOString();
      this.o.warn?.(`[${name}] ${list.length} missed tick(s) from ${iso(list[0]!.scheduled)} to ${iso(list[list.length - 1]!.scheduled)} skipped: over the catch-up limit of ${this.o.maxTicks} (catchup.max_ticks)`);
    }
    this.summary.skipped += ticks.length;
  }

  /** Runs every tick due at `now`; stops early when aborted. */
  async pass(now: number): Promise<void> {
    const due = dueTicks(this.searches, this.o.state.ledger, { now, replayFrom: this.o.replay?.from, maxTicks: this.o.maxTicks });
    this.recordSkipped(due.skipped);
    const failed = new Set<string>();
    for (const tick of due.run) {
      if (this.o.signal?.aborted) return;
      // A search that failed waits for the next pass; later ticks of it would skip its history.
      if (failed.has(tick.entry.search.id)) continue;
      const before = this.summary.failures.length;
      await this.runTick(tick);
      if (this.summary.failures.length > before) failed.add(tick.entry.search.id);
    }
    await this.drainOutputs();
    await this.o.onTickDone?.();
  }

  async drainOutputs(): Promise<void> {
    for (const out of this.o.outputs) await out.drain(this.outbox);
  }

  /**
   * Sleeps until `wakeMs` (wall clock), draining outputs every few seconds meanwhile when some
   * finding is still pending (a webhook receiver that was down is retried between ticks).
   */
  private async waitUntil(wakeMs: number): Promise<void> {
    const every = this.o.drainIntervalMs ?? 5000;
    for (;;) {
      const left = wakeMs - Date.now();
      if (left <= 0 || this.o.signal?.aborted) return;
      await sleep(Math.min(left, every), this.o.signal);
      if (Date.now() < wakeMs && !this.o.signal?.aborted && this.o.outputs.some((x) => this.outbox.pendingCount(x.key) > 0)) await this.drainOutputs();
    }
  }

  async run(): Promise<ServiceSummary> {
    const o = this.o;
    const clock = o.clock ?? (() => Date.now() / 1000);
    if (o.replay) {
      let t = o.replay.from;
      await this.pass(t);
      for (;;) {
        if (o.signal?.aborted) break;
        const next = nextTickAfter(this.searches, t);
        if (next === undefined || next > o.replay.to) break;
        t = next;
        await this.pass(t);
      }
      return this.summary;
    }
    for (;;) {
      await this.pass(clock());
      if (o.once || o.signal?.aborted) break;
      const next = nextTickAfter(this.searches, clock());
      if (next === undefined) break;
      await this.waitUntil(Date.now() + Math.max(0, (next - clock()) * 1000) + 50);
      if (o.signal?.aborted) break;
    }
    return this.summary;
  }
}
