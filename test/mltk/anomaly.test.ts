/** anomalydetection (MLTK.md §4, T6), outlier (§5) and makecontinuous (§6, T7) through SPL. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, type Obj } from '../engine/harness.js';
import { TrailguardError } from '../../src/errors.js';
import { close } from './util.js';

// T6: 8×(IAMUser, a), 1×(IAMUser, b), 1×(AssumedRole, c).
const T6: Obj[] = [
  ...Array.from({ length: 8 }, (_, i) => ({ id: i + 1, user_type: 'IAMUser', user_arn: 'a' })),
  { id: 9, user_type: 'IAMUser', user_arn: 'b' },
  { id: 10, user_type: 'AssumedRole', user_arn: 'c' },
];

test('T6 histogram, default threshold: events 9 and 10 are anomalies with their probable causes', async () => {
  const r = await run('search * | anomalydetection "user_type" "user_arn"', { input: T6 });
  assert.deepEqual(r.rows.map((x) => x.id), [9, 10]);
  const [e9, e10] = r.rows;
  close(e9!.log_event_prob as number, -2.4079456086518722);
  close(e10!.log_event_prob as number, -4.605170185988091);
  assert.deepEqual([e9!.probable_cause, e9!.probable_cause_freq, e9!.max_freq], ['user_arn', 0.1, 0.9]);
  assert.deepEqual([e10!.probable_cause, e10!.probable_cause_freq, e10!.max_freq], ['user_type', 0.1, 0.1]);
});

test('T6 pthresh=0.05 keeps only event 10; annotate keeps all and gives causes only to anomalies', async () => {
  const p = await run('search * | anomalydetection pthresh=0.05 user_type user_arn', { input: T6 });
  assert.deepEqual(p.rows.map((x) => x.id), [10]);
  const a = await run('search * | anomalydetection "user_type" "user_arn" action=annotate | search probable_cause=*', { input: T6 });
  assert.deepEqual(a.rows.map((x) => x.id), [9, 10]);
  const all = await run('search * | anomalydetection user_type user_arn action=annotate pthresh=0.05', { input: T6 });
  assert.equal(all.rows.length, 10);
  assert.deepEqual(all.rows.filter((x) => x.probable_cause === undefined).map((x) => x.id), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  close(all.rows[0]!.log_event_prob as number, -0.3285040669720361);
});

test('T6 action=summary: one row of ln P statistics', async () => {
  const s = await run('search * | anomalydetection user_type user_arn action=summary', { input: T6 });
  assert.equal(s.rows.length, 1);
  const r = s.rows[0]!;
  assert.equal(r.num_anomalies, 2);
  close(r.thresh as number, -0.3285040669720361);
  close(r['1st_quartile'] as number, -0.3285040669720361);
  close(r['3rd_quartile'] as number, -0.3285040669720361);
  close(r.max_logprob as number, -0.3285040669720361);
  close(r.min_logprob as number, -4.605170185988091);
});

test('anomalydetection: numerical fields are binned into 10 equal-width bins over [min, max]', async () => {
  // 0..8 fall in bins 0..8 (one each) and 9, 9.5, 10 share the last bin (max included).
  const input = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9.5, 10].map((n) => ({ n }));
  const r = await run('search * | anomalydetection n action=annotate', { input });
  close(r.rows[0]!.log_event_prob as number, Math.log(1 / 12));
  close(r.rows[11]!.log_event_prob as number, Math.log(3 / 12));
});

test('anomalydetection: zscore is refused, iqr behaves like outlier, bad options are errors', async () => {
  await assert.rejects(run('search * | anomalydetection method=zscore x', { input: T6 }), (e: unknown) => e instanceof TrailguardError && /zscore is not supported/.test(e.reason));
  await assert.rejects(run('search * | anomalydetection method=iqr pthresh=0.1 x', { input: T6 }), (e: unknown) => e instanceof TrailguardError && /pthresh is not a parameter/.test(e.reason));
  await assert.rejects(run('search * | anomalydetection action=explode x', { input: T6 }), (e: unknown) => e instanceof TrailguardError && /action=explode/.test(e.reason));
  const input = [1, 2, 3, 4, 100].map((count) => ({ count }));
  const iqr = await run('search * | anomalydetection method=iqr action=rm count', { input });
  assert.deepEqual(iqr.rows.map((x) => x.count), [1, 2, 3, 4]);
});

test('§5 outlier: action=RM drops values above Q3 + 2.5·IQR; transform clamps (mark prefixes 000); uselower', async () => {
  // Numeric values sorted: −50 1 2 3 4 100. Linear quartiles: Q1 = 1.25, Q3 = 3.75, IQR = 2.5,
  // so the upper bound is 3.75 + 2.5·2.5 = 10 and the lower one 1.25 − 6.25 = −5. 'x' is left alone.
  const input: Obj[] = [1, 2, 3, 4, 100, -50, 'x'].map((count, i) => ({ i, count }));
  const rm = await run('search * | outlier action=RM count', { input });
  assert.deepEqual(rm.rows.map((x) => x.count), [1, 2, 3, 4, -50, 'x']);
  const tf = await run('search * | outlier count', { input });
  assert.deepEqual(tf.rows.map((x) => x.count), [1, 2, 3, 4, 10, -50, 'x']);
  const low = await run('search * | outlier uselower=true mark=t count', { input });
  assert.deepEqual(low.rows.map((x) => x.count), [1, 2, 3, 4, '00010', '000-5', 'x']);
  // param=40: upper bound 3.75 + 100 = 103.75 keeps 100.
  const p = await run('search * | outlier action=remove param=40 count', { input });
  assert.equal(p.rows.length, 7);
});

test('§5 outlier without fields works on every numeric field', async () => {
  const input: Obj[] = [1, 2, 3, 4, 100].map((n) => ({ n, m: n === 100 ? 2 : n, s: 'text' }));
  const r = await run('search * | outlier action=rm', { input });
  assert.equal(r.rows.length, 4);
});

test('T7 makecontinuous span=1h _time inserts rows holding only _time for the empty hours', async () => {
  const input: Obj[] = [{ _time: 0, user: 'u1' }, { _time: 3600, user: 'u1' }, { _time: 14400, user: 'u1' }, { _time: 14400 + 59, user: 'u2' }];
  const r = await run('search * | makecontinuous span=1h _time', { input });
  assert.deepEqual(r.rows, [
    { _time: 0, user: 'u1' },
    { _time: 3600, user: 'u1' },
    { _time: 7200 },
    { _time: 10800 },
    { _time: 14400, user: 'u1' },
    { _time: 14400, user: 'u2' },
  ]);
});

test('makecontinuous: the field defaults to _time, rows without it follow, start/end bound the buckets, bins= is refused', async () => {
  const input: Obj[] = [{ _time: 7200, n: 1 }, { n: 2 }, { _time: 0, n: 3 }];
  const r = await run('search * | makecontinuous span=1h', { input });
  assert.deepEqual(r.rows, [{ _time: 0, n: 3 }, { _time: 3600 }, { _time: 7200, n: 1 }, { n: 2 }]);
  const b = await run('search * | makecontinuous x span=10 start=0 end=50', { input: [{ x: 12 }, { x: 61 }] });
  assert.deepEqual(b.rows, [{ x: 0 }, { x: 10 }, { x: 20 }, { x: 30 }, { x: 40 }]);
  await assert.rejects(run('search * | makecontinuous bins=10 _time', { input }), (e: unknown) => e instanceof TrailguardError && /bins= is not supported/.test(e.reason));
});
