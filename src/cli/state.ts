/** `trailguard state check|backup|restore`: looking after a state directory. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { backupState, checkState, restoreState } from '../state/maintenance.js';
import { DEFAULT_STATE_DIR } from '../state/index.js';
import { EXIT, reportFatal } from './output.js';

const dirOf = (flags: { state?: string }) => resolve(flags.state ?? DEFAULT_STATE_DIR);

function wrap<A extends unknown[]>(fn: (...args: A) => number | Promise<number>) {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      process.exitCode = reportFatal(err);
    }
  };
}

export function register(program: Command): void {
  const state = program
    .command('state')
    .description('Check, back up and restore a state directory (baselines, lookups, findings, ledger)')
    .addHelpText('after', `
Examples:
  trailguard state check --state ./.trailguard
  trailguard state backup /backups/trailguard-2026-11-20.sqlite     # safe while \`run\` is ticking
  trailguard state restore /backups/trailguard-2026-11-20.sqlite    # stop \`run\` first
`);

  state
    .command('check')
    .description('Integrity check of state.sqlite and the CSV lookups, with a readable report')
    .option('--state <dir>', 'state directory (default ./.trailguard/)')
    .option('--format <format>', 'table | json', 'table')
    .addHelpText('after', '\nExit codes: 0 healthy, 1 damage found, 2 usage error.\n\nExample:\n  trailguard state check --state ./.trailguard\n')
    .action(wrap((flags: { state?: string; format: string }) => {
      const r = checkState(dirOf(flags));
      if (flags.format === 'json') process.stdout.write(JSON.stringify(r) + '\n');
      else {
        const out: string[] = [];
        if (!r.exists) out.push(`${r.file}: no state database yet (nothing has run with this --state)`);
        else {
          out.push(`${r.file}: ${r.problems.length === 0 ? 'ok' : 'DAMAGED'} (${(r.bytes / 1024).toFixed(0)} KiB)`);
          for (const p of r.problems) out.push(`  problem: ${p}`);
          out.push(`  ${Object.entries(r.counts).map(([t, n]) => `${t}: ${n}`).join(', ')}`);
          if (r.pendingFiles > 0) out.push(`  ${r.pendingFiles} committed lookup file(s) not yet written (written at the next open)`);
        }
        for (const c of r.csvLookups) out.push(`${c.file}: ${c.ok ? `ok (${c.rows} rows)` : `DAMAGED: ${c.error}`}`);
        if (!r.ok) out.push('\nTo recover: `trailguard state restore BACKUP` (from `trailguard state backup`), or move the damaged file away and rebuild the baselines with `trailguard baseline`.');
        process.stdout.write(out.join('\n') + '\n');
      }
      return r.ok ? EXIT.ok : EXIT.search;
    }));

  state
    .command('backup')
    .description('Write a consistent copy of the state to FILE (online: safe while `run` is active)')
    .argument('<file>', 'the backup file to create (never overwritten)')
    .option('--state <dir>', 'state directory (default ./.trailguard/)')
    .addHelpText('after', '\nExample:\n  trailguard state backup /backups/trailguard.sqlite --state ./.trailguard\n')
    .action(wrap(async (file: string, flags: { state?: string }) => {
      const r = await backupState(dirOf(flags), resolve(file));
      process.stderr.write(`backed up ${dirOf(flags)} to ${resolve(file)} (${(r.bytes / 1024).toFixed(0)} KiB, ${r.csvFiles} CSV lookup(s))\n`);
      return EXIT.ok;
    }));

  state
    .command('restore')
    .description('Replace the state with a backup (the current files are moved aside, not deleted)')
    .argument('<file>', 'a file written by `trailguard state backup`')
    .option('--state <dir>', 'state directory (default ./.trailguard/)')
    .addHelpText('after', '\nRefuses while a `trailguard run` holds the state directory.\n\nExample:\n  trailguard state restore /backups/trailguard.sqlite --state ./.trailguard\n')
    .action(wrap((file: string, flags: { state?: string }) => {
      const r = restoreState(dirOf(flags), resolve(file));
      process.stderr.write(`restored ${dirOf(flags)} from ${resolve(file)} (${r.csvFiles} CSV lookup(s))${r.movedAside ? `; the previous database is at ${r.movedAside}` : ''}\n`);
      return EXIT.ok;
    }));
}
