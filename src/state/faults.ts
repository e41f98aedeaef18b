/**
 * Fault injection for crash tests: `TRAILGUARD_FAULTS=point[:n][=action],…` makes the n-th pass
 * (default the first) through a named point kill the process (`kill`, SIGKILL: no cleanup, as a
 * power cut), throw (`throw`), or fail as a full disk does (`full`: ENOSPC from a file write,
 * SQLITE_FULL inside a database transaction). Unset, a point costs one property lookup.
 * Points: before-commit (a run's search finished, nothing written), in-commit (inside the state
 * transaction, after the lookup writes), after-commit (committed, CSV files not yet on disk),
 * write-file (an atomic file write: a CSV lookup, a model, the report), standby-task (a scan worker
 * started ahead was handed its task; use `throw`, since `kill` would end the whole process).
 */
interface Fault {
  point: string;
  at: number;
  action: 'kill' | 'throw' | 'full';
  seen: number;
}

let faults: Fault[] | null = null;

function parse(spec: string): Fault[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([a-z-]+)(?::(\d+))?(?:=(kill|throw|full))?$/.exec(s);
      if (!m) throw new Error(`TRAILGUARD_FAULTS: cannot read "${s}" (point[:n][=kill|throw|full])`);
      return { point: m[1]!, at: Number(m[2] ?? 1), action: (m[3] ?? 'kill') as Fault['action'], seen: 0 };
    });
}

export class InjectedFault extends Error {
  constructor(point: string) {
    super(`injected fault at ${point}`);
  }
}

export function faultPoint(point: string): void {
  const spec = process.env.TRAILGUARD_FAULTS;
  if (spec === undefined || spec === '') return;
  faults ??= parse(spec);
  for (const f of faults) {
    if (f.point !== point) continue;
    f.seen++;
    if (f.seen !== f.at) continue;
    if (f.action === 'throw') throw new InjectedFault(point);
    if (f.action === 'full') {
      throw point === 'write-file'
        ? Object.assign(new Error('ENOSPC: no space left on device, write (injected)'), { code: 'ENOSPC', errno: -28, syscall: 'write' })
        : Object.assign(new Error('database or disk is full (injected)'), { code: 'SQLITE_FULL' });
    }
    process.kill(process.pid, 'SIGKILL');
  }
}
