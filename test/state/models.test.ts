/**
 * The model store (`models` table of state.sqlite): write/read/list/remove, and a fit killed with
 * SIGKILL at random moments leaves the previous model or the new one, never a partial document.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ModelStore } from '../../src/state/models.js';
import { StateDb } from '../../src/state/db.js';
import { scratchDir } from './tmp.js';

test('models: write, read back, overwrite keeps created, list, remove', () => {
  const dir = scratchDir();
  const store = new ModelStore({ stateDir: dir });
  assert.equal(store.read('m'), undefined);
  assert.deepEqual(store.list(), []);
  store.write({ name: 'm', format: 1, algorithm: 'DensityFunction', document: { a: [1, 2] }, fittedBy: 'baseline one' }, 100);
  store.write({ name: 'm', format: 1, algorithm: 'DensityFunction', document: { a: [3] }, fittedBy: 'baseline two' }, 200);
  store.close();
  const again = new ModelStore({ stateDir: dir });
  assert.deepEqual(again.read('m'), { name: 'm', format: 1, algorithm: 'DensityFunction', document: { a: [3] }, fittedBy: 'baseline two', created: 100, updated: 200 });
  assert.deepEqual(again.list().map((m) => m.name), ['m']);
  assert.equal(again.remove('m'), true);
  assert.equal(again.remove('m'), false);
  assert.equal(again.read('m'), undefined);
  again.close();
});

test('models: reading a state directory that was never written creates nothing', () => {
  const dir = join(scratchDir(), 'absent');
  const store = new ModelStore({ stateDir: dir });
  assert.equal(store.read('m'), undefined);
  assert.equal(new StateDb(dir).exists(), false);
});

// Runs compiled (dist/test/state/*.js) or from source through tsx; the writer is beside this file.
const here = fileURLToPath(import.meta.url);
const compiled = here.endsWith('.js');
const writer = join(dirname(here), compiled ? 'crash-fit-writer.js' : 'crash-fit-writer.ts');
const nodeArgs = compiled ? [writer] : ['--import', 'tsx', writer];
/** Groups per model: enough that a model write (~1 MB of JSON) takes several milliseconds. */
const GROUPS = 3000;

/** Starts the fitting child; after its first complete write, kills it a random moment after a write starts. */
function runAndKill(stateDir: string, delayMs: number): Promise<{ completed: number; midWrite: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, stateDir, String(GROUPS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    // Never leave the child running: kill it anyway if it did not report its writes in time.
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!armed && /wrote \d+ [^\n]*\n[\s\S]*start \d+\n/.test(out)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (!armed) {
        reject(new Error(`fit writer did not report two writes within 60 s: ${out.slice(-200)} ${err}`));
        return;
      }
      if (signal !== 'SIGKILL') {
        reject(new Error(`fit writer exited with ${code ?? signal} before being killed: ${err}`));
        return;
      }
      const lines = out.trim().split('\n');
      const completed = Math.max(0, ...lines.filter((l) => l.startsWith('wrote ')).map((l) => Number(l.split(' ')[1])));
      resolve({ completed, midWrite: lines[lines.length - 1]!.startsWith('start ') });
    });
  });
}

/** The version a stored model was fitted on; fails unless every group agrees (a whole document). */
function storedVersion(stateDir: string): number {
  const store = new ModelStore({ stateDir });
  const rec = store.read('crash_model');
  store.close();
  assert.ok(rec, 'the model exists');
  const doc = rec.document as { groups: { key: string[]; params: { mean: number } }[] };
  assert.equal(doc.groups.length, GROUPS, 'every group is there');
  const versions = new Set(doc.groups.map((g) => (g.params.mean - Number(g.key[0]!.slice(1))) / 1000));
  assert.equal(versions.size, 1, `groups from several fits: ${[...versions].join(', ')}`);
  return [...versions][0]!;
}

test('issue 11: a fit killed while writing its model leaves the old model or the new one, never a mix', async () => {
  const stateDir = scratchDir();
  let midWriteKills = 0;
  for (let i = 0; i < 5; i++) {
    const delay = Math.random() * 8;
    const { completed, midWrite } = await runAndKill(stateDir, delay);
    if (midWrite) midWriteKills++;
    const version = storedVersion(stateDir);
    assert.ok(version === completed || (midWrite && version === completed + 1), `kill ${i} (after ${delay.toFixed(1)} ms): model holds version ${version}; the child had completed ${completed}`);
  }
  assert.ok(midWriteKills > 0, 'no kill landed in the middle of a model write');
});
