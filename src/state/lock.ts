/**
 * One `trailguard run` per state directory: `<state>/run.lock` holds the pid of the service that
 * owns it. A lock whose process is gone (a crash, SIGKILL) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TrailguardError } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class ServiceLock {
  private constructor(readonly file: string) {}

  static acquire(stateDir: string): ServiceLock {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const file = join(stateDir, 'run.lock');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new ServiceLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let holder = NaN;
      try {
        holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      } catch {
        continue;
      }
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new TrailguardError({
          code: 'E_STATE_LOCKED', phase: 'usage', location: { file },
          reason: `another \`trailguard run\` (pid ${holder}) is using the state directory ${stateDir}`,
          hints: [`stop it first (kill ${holder}), or give this one its own --state`, 'search, detect and findings can run beside it'],
        });
      }
      try {
        unlinkSync(file);
      } catch {
        /* another process took it over first */
      }
    }
    throw new TrailguardError({ code: 'E_STATE_LOCKED', phase: 'usage', reason: `cannot take the lock ${file}`, location: { file } });
  }

  release(): void {
    try {
      if (Number.parseInt(readFileSync(this.file, 'utf8'), 10) === process.pid) unlinkSync(this.file);
    } catch {
      /* already gone */
    }
  }
}
