/**
 * Scan workers started before they are needed. A worker spends its first 80–120 ms starting a
 * thread and loading the engine; started when the scan begins, that is time the worker's share
 * waits while this thread already scans its own, and the run ends when the worker does. `trailguard
 * search` over a large file therefore starts its workers when the process starts
 * (`standbyFor` decides from the command line), and runShares hands them their task instead of
 * starting new ones. A worker nobody takes is dropped when the command ends (releaseStandby).
 *
 * This module is loaded by the CLI's entry before the command's own modules: it imports nothing
 * of the engine.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Below this much estimated work (full-scan NDJSON bytes; split.ts, estimatedWork) a worker costs
 * more than it saves (planParallel). Its fixed cost is more than its start: each thread compiles
 * the scan's code again in its own isolate (about 0.5 s of TurboFan time for a full scan here),
 * and on two cores that compiling competes with the two scanning threads. On this project's
 * 2-core machine one thread was 7–15 % faster over 377 MB of NDJSON, two were about 5 % faster
 * over the 30-day delivery tree (599 MiB of estimated work) and 5–14 % over 756 MB of NDJSON
 * (bench/README.md, "Workers only when they pay").
 */
export const DEFAULT_MIN_BYTES = 512 * 1024 * 1024;

/** workerData of a worker that waits for its task in a message (worker.ts). */
export const STANDBY = { standby: true } as const;

/** Threads a run may use: `threads` (the --threads flag), else TRAILGUARD_THREADS, else the machine's cores. */
export function threadCount(threads: number | undefined): number {
  if (threads !== undefined) return Math.max(1, Math.floor(threads));
  const env = process.env['TRAILGUARD_THREADS'];
  if (env !== undefined && /^\d+$/.test(env.trim())) return Math.max(1, Number(env.trim()));
  return availableParallelism();
}

/**
 * A Worker running worker.js beside this module; under tsx (tests run src/ directly) the worker
 * first registers tsx's loader in its own thread, then imports worker.ts.
 */
export function startScanWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  const script = new URL('./worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** Started workers waiting for a task (alive: a worker that failed or exited leaves the list). */
const waiting: Worker[] = [];

/**
 * Starts `count` workers that wait for a task (returned, for tests); they do not keep the process
 * alive while waiting.
 */
export function prestart(count: number): Worker[] {
  const started: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const worker = startScanWorker(STANDBY);
    worker.unref();
    const drop = () => {
      const at = waiting.indexOf(worker);
      if (at >= 0) waiting.splice(at, 1);
    };
    // A worker that failed to load leaves the list once its event is seen. One taken before that
    // is replaced by runShares: a worker started ahead says `taken` when it has its task, and one
    // that ends before saying so has its task given to a fresh worker (which reports why, if it
    // fails too).
    worker.once('error', drop);
    worker.once('exit', drop);
    waiting.push(worker);
    started.push(worker);
  }
  return started;
}

/**
 * A waiting worker given `task` (`ahead`: it will post `taken` once it has it), or a new worker
 * started with it.
 */
export function scanWorkerFor(task: unknown): { worker: Worker; ahead: boolean } {
  const worker = waiting.shift();
  if (worker === undefined) return { worker: startScanWorker(task), ahead: false };
  worker.ref();
  worker.postMessage(task);
  return { worker, ahead: true };
}

/** How many started workers wait for a task. */
export function standbyCount(): number {
  return waiting.length;
}

/** Ends the workers nobody took (the command is over). */
export function releaseStandby(): void {
  for (const worker of waiting.splice(0)) void worker.terminate();
}

/** The values of `--name v` and `--name=v` in argv (before a lone `--`). */
function flagValues(argv: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === name && i + 1 < argv.length) out.push(argv[++i]!);
    else if (a.startsWith(`${name}=`)) out.push(a.slice(name.length + 1));
  }
  return out;
}

/** The first argument after the command that is not an option or an option's value. */
function splArgument(argv: readonly string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return argv[i + 1];
    if (!a.startsWith('-')) return a;
    if (!a.includes('=') && !BOOLEAN_FLAGS.has(a)) i++; // skip the option's value
  }
  return undefined;
}

/**
 * search's flags that take no value (the rest take one). Kept here, not read from the command's
 * definition, so that deciding costs no CLI module load; a test checks it against that definition.
 */
export const BOOLEAN_FLAGS: ReadonlySet<string> = new Set(['--strict', '--help', '-h']);

/**
 * How many workers to start ahead for this command line: threads − 1 for `trailguard search`
 * over local regular files holding at least DEFAULT_MIN_BYTES, whose search can use them (it
 * names stats or tstats, or is read from a file), run in-process; 0 otherwise. A guess from the
 * raw arguments only: the command still decides whether to split (planParallel), and a worker it
 * does not take costs its start-up on the other core, nothing else.
 */
export function standbyFor(argv: readonly string[]): number {
  if (argv[0] !== 'search') return 0;
  const engines = flagValues(argv, '--engine');
  if (engines.some((e) => e !== 'inprocess')) return 0;
  const threadFlags = flagValues(argv, '--threads');
  const threads = threadCount(threadFlags.length > 0 && /^[1-9]\d*$/.test(threadFlags.at(-1)!) ? Number(threadFlags.at(-1)) : undefined);
  if (threads <= 1) return 0;
  const spl = splArgument(argv);
  if (spl === undefined || (!spl.startsWith('@') && !/stats/i.test(spl))) return 0;
  const data = flagValues(argv, '--data');
  if (data.length === 0) return 0;
  let bytes = 0;
  for (const path of data) {
    try {
      const st = statSync(path);
      if (!st.isFile()) return 0;
      bytes += st.size;
    } catch {
      return 0;
    }
  }
  return bytes >= DEFAULT_MIN_BYTES ? threads - 1 : 0;
}
