import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import fc from 'fast-check';
import { readAllEvents } from '../../src/sources/index.js';
import type { RawEvent } from '../../src/sources/types.js';
import { invictusNdjson } from '../helpers.js';

// Byte ranges need the uncompressed file: the bundled sample, unpacked.
const NDJSON = invictusNdjson();
const SIZE = statSync(NDJSON).size;

/** Reads the file as consecutive ranges split at `cuts`; lines renumbered from each range's onRange count. */
async function readSplit(cuts: number[]): Promise<RawEvent[]> {
  const bounds = [0, ...[...cuts].sort((a, b) => a - b), SIZE];
  const out: RawEvent[] = [];
  let linesBefore = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    let lines = 0;
    const { events } = await readAllEvents([NDJSON], {
      range: { start: bounds[i]!, end: bounds[i + 1]! },
      onRange: (r) => { lines += r.lines; },
    });
    for (const e of events) out.push({ ...e, line: e.line + linesBefore });
    linesBefore += lines;
  }
  return out;
}

const whole = readAllEvents([NDJSON]).then((r) => r.events);

test('byte ranges that meet read every NDJSON line exactly once, with file byte offsets and line numbers (any split points)', async () => {
  const all = await whole;
  assert.ok(all.length > 1000);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 0, max: SIZE }), { minLength: 1, maxLength: 4 }), async (cuts) => {
      assert.deepEqual(await readSplit(cuts), all);
    }),
    { numRuns: 20 },
  );
});

test('split points at a line start, just after it, and at a newline each give the line to one range only', async () => {
  const all = await whole;
  const start = all[10]!.byte; // first byte of a line; start − 1 is the previous line's newline
  for (const cut of [start - 1, start, start + 1, 0, SIZE]) {
    assert.deepEqual(await readSplit([cut]), all, `cut at ${cut}`);
  }
});

test('an empty range (start = end) reads nothing', async () => {
  const { events } = await readAllEvents([NDJSON], { range: { start: 5000, end: 5000 } });
  assert.equal(events.length, 0);
});
