/**
 * fit / apply / summary through SPL (MLTK.md §3, worked examples §7 T1–T5, T8), with models in
 * memory. Expected values are MLTK.md's oracles (scipy 1.17 / Python), not the engine's output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, type Obj } from '../engine/harness.js';
import { MemoryModels } from '../../src/state/models.js';
import { TrailguardError } from '../../src/errors.js';
import { close } from './util.js';

const T1 = [2, 4, 4, 4, 5, 5, 7, 9];
const T2 = [2, 2, 3, 3, 4, 4, 5, 6, 8, 13];
const A = [...[1, 2, 2, 3, 3, 3, 4, 4, 5], ...[1, 2, 2, 3, 3, 3, 4, 4, 5], ...[41, 42, 42, 43, 43, 43, 44, 44, 45], ...[41, 42, 42, 43, 43, 43, 44, 44, 45]];

const rowsOf = (xs: number[], extra: Obj = {}): Obj[] => xs.map((x) => ({ ...extra, x }));

async function mlRun(spl: string, input: Obj[] | undefined, models: MemoryModels) {
  return run(spl, { input, setup: { models } });
}

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<TrailguardError> {
  let caught: unknown;
  await p.catch((e) => (caught = e));
  assert.ok(caught instanceof TrailguardError, `expected a TrailguardError, got ${String(caught)}`);
  assert.match(caught.reason, pattern);
  return caught;
}

const col = (rows: Obj[], name: string) => rows.map((r) => r[name] ?? null);

test('T1 fit dist=norm: no training row is an outlier; BoundaryRanges multivalue; apply flags −1, 10.2, 11', async () => {
  const m = new MemoryModels();
  const fit = await mlRun('search * | fit DensityFunction x dist=norm into t1', rowsOf(T1), m);
  assert.deepEqual(col(fit.rows, 'IsOutlier(x)'), T1.map(() => 0));
  assert.deepEqual(fit.rows[0]!.BoundaryRanges, ['-Infinity:-0.1517:0.005', '10.1517:Infinity:0.005']);
  assert.equal(fit.rows[0]!.x, 2, 'other fields are untouched');
  const app = await mlRun('search * | apply t1', rowsOf([-1, 0, 5, 10, 10.2, 11]), m);
  assert.deepEqual(col(app.rows, 'IsOutlier(x)'), [1, 0, 0, 0, 1, 1]);
});

test('T1 threshold=0.05 flags the training value 9; show_density gives the pdf', async () => {
  const m = new MemoryModels();
  const fit = await mlRun('search * | fit DensityFunction x dist=norm threshold=0.05 show_density=true', rowsOf(T1), m);
  assert.deepEqual(col(fit.rows, 'IsOutlier(x)'), [0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(fit.rows[0]!.BoundaryRanges, ['-Infinity:1.0801:0.025', '8.9199:Infinity:0.025']);
  const dens = Object.fromEntries(fit.rows.map((r) => [r.x, Number(r['ProbabilityDensity(x)'])]));
  close(dens[5]!, 0.19947114020071635);
  assert.equal(m.models.size, 0, 'without into nothing is stored');
  const app = await mlRun('search * | fit DensityFunction x dist=norm into t1d | apply t1d show_density=t', rowsOf([...T1]), m);
  close(Number(app.rows.find((r) => r.x === 9)!['ProbabilityDensity(x)']), 0.02699548325659403 /* φ(2)/σ = e^-2/√(2π)/2 */, 1e-12);
  const ten = await mlRun('search * | apply t1d show_density=t', rowsOf([10]), m);
  close(Number(ten.rows[0]!['ProbabilityDensity(x)']), 0.008764150246784268);
});

test('T2 dist=expon: ranges, mvindex(BoundaryRanges,-1) upper boundary, apply [1,2,15,16,18], summary', async () => {
  const m = new MemoryModels();
  const fit = await mlRun('search * | fit DensityFunction x dist=expon show_density=true into t2 | eval upper=mvindex(split(mvindex(BoundaryRanges, -1), ":"), 0)', rowsOf(T2), m);
  assert.deepEqual(fit.rows[0]!.BoundaryRanges, ['-Infinity:2:0', '15.8155:Infinity:0.01']);
  assert.equal(fit.rows[0]!.upper, '15.8155');
  const app = await mlRun('search * | apply t2 show_density=t', rowsOf([1, 2, 15, 16, 18]), m);
  assert.deepEqual(col(app.rows, 'IsOutlier(x)'), [1, 0, 0, 1, 1]);
  close(Number(app.rows[3]!['ProbabilityDensity(x)']), 0.003134520850498402);
  for (const [t, hi] of [['0.005', '17.895'], ['0.0005', '24.8027']] as const) {
    const r = await mlRun(`search * | apply t2 threshold=${t}`, rowsOf([2]), m);
    assert.equal((r.rows[0]!.BoundaryRanges as string[])[1], `${hi}:Infinity:${t}`);
  }
  const s = await mlRun('| summary t2', undefined, m);
  assert.deepEqual(s.rows.map((r) => ({ ...r, distance: undefined })), [{ type: 'Exponential', min: 2, max: 13, mean: '2.0', std: '3.0', cardinality: 10, distance: undefined, other: 'N/A' }]);
  assert.deepEqual(Object.keys(s.rows[0]!), ['type', 'min', 'max', 'mean', 'std', 'cardinality', 'distance', 'other']);
  assert.equal(s.rows[0]!.distance, 'metric: wasserstein, distance: 0.4302543970500542');
});

test('T2 constant data: dist=expon fails the whole fit; dist=norm uses σ = 1e-6 so 3.0001 is an outlier', async () => {
  const m = new MemoryModels();
  await rejects(mlRun('search * | fit DensityFunction x dist=expon into c', rowsOf([3, 3, 3]), m), /Exponential distribution failed for the data: all values are the same/);
  assert.equal(m.models.size, 0, 'a failed fit stores nothing');
  await mlRun('search * | fit DensityFunction x dist=norm into c', rowsOf([3, 3, 3]), m);
  const app = await mlRun('search * | apply c', rowsOf([3.0001, 3]), m);
  assert.deepEqual(col(app.rows, 'IsOutlier(x)'), [1, 0]);
});

test('T3 groups: summary rows in group order with the by-field first; unseen group and null group are empty', async () => {
  const m = new MemoryModels();
  const input = [...rowsOf(T2, { g: 'b' }), ...rowsOf(T1, { g: 'a' }), { x: 4 }];
  const fit = await mlRun('search * | fit DensityFunction x by g dist=norm into m', input, m);
  const nullRow = fit.rows[fit.rows.length - 1]!;
  assert.deepEqual(nullRow, { x: 4 }, 'a row with null g gets no outputs');
  assert.deepEqual(fit.rows.map((r) => r.x), input.map((r) => r.x), 'rows come back in input order');
  const s = await mlRun('| summary m', undefined, m);
  assert.deepEqual(Object.keys(s.rows[0]!), ['g', 'type', 'min', 'max', 'mean', 'std', 'cardinality', 'distance', 'other']);
  assert.deepEqual(s.rows.map((r) => [r.g, r.type, r.min, r.max, r.mean, r.cardinality, r.other]), [
    ['a', 'Normal', 2, 9, '5.0', 8, 'N/A'],
    ['b', 'Normal', 2, 13, '5.0', 10, 'N/A'],
  ]);
  assert.equal(s.rows[0]!.std, '2.0');
  close(Number(s.rows[1]!.std), 3.1937438845342623);
  const app = await mlRun('search * | apply m', [{ g: 'c', x: 100 }, { g: 'a', x: 11 }, { x: 11 }], m);
  assert.deepEqual(app.rows, [
    { g: 'c', x: 100 },
    { g: 'a', x: 11, 'IsOutlier(x)': 1, BoundaryRanges: ['-Infinity:-0.1517:0.005', '10.1517:Infinity:0.005'] },
    { x: 11 },
  ]);
  assert.ok(app.warnings.includes('Some of the data groups do not have a distribution in the model'));
});

test('T4 dist=auto picks the exponential for T2 (summary type "Auto: Exponential")', async () => {
  const m = new MemoryModels();
  await mlRun('search * | fit DensityFunction x into auto2', rowsOf(T2), m);
  const s = await mlRun('| summary auto2', undefined, m);
  assert.equal(s.rows[0]!.type, 'Auto: Exponential');
  await mlRun('search * | fit DensityFunction x exclude_dist=expon into auto3', rowsOf(T2), m);
  assert.equal((await mlRun('| summary auto3', undefined, m)).rows[0]!.type, 'Auto: Gaussian KDE');
});

test('T5 gaussian_kde through fit/apply: the valley between the modes is flagged, far values are not', async () => {
  const m = new MemoryModels();
  const fit = await mlRun('search * | fit DensityFunction x dist=gaussian_kde threshold=0.05 into kde', rowsOf(A), m);
  assert.deepEqual(fit.rows[0]!.BoundaryRanges, '18.7541:27.2676:0.0498');
  const probe = [19, 23, 27, 0, 3, 10, 18, 28, 30, 44, 60];
  const app = await mlRun('search * | apply kde', rowsOf(probe), m);
  assert.deepEqual(col(app.rows, 'IsOutlier(x)'), [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const s = await mlRun('| summary kde', undefined, m);
  assert.equal(s.rows[0]!.type, 'Gaussian KDE');
  assert.equal(s.rows[0]!.other, 'bandwidth: 9.783451940367717, parameter size: 36');
  const norm = await mlRun('search * | fit DensityFunction x dist=norm threshold=0.05 | stats sum("IsOutlier(x)") as n', rowsOf(A), m);
  assert.equal(norm.rows[0]!.n, 0);
});

test('T5 KDE data B: no ranges, every IsOutlier 0 and BoundaryRanges empty', async () => {
  const B = [1, 2, 2, 3, 3, 3, 4, 4, 5, 101, 102, 102, 103, 103, 103, 104, 104, 105];
  const fit = await mlRun('search * | fit DensityFunction x dist=gaussian_kde', rowsOf(B), new MemoryModels());
  assert.ok(fit.rows.every((r) => r['IsOutlier(x)'] === 0 && r.BoundaryRanges === undefined));
});

test('T8 fit parameters: by-list, model name, dist, show_density → the three output columns', async () => {
  const m = new MemoryModels();
  const input = T1.map((x, i) => ({ api_calls: x, user: i % 2 ? 'u1' : 'u2', HourOfDay: '04', isWeekend: 'true' }));
  const fit = await mlRun('search * | fit DensityFunction api_calls by "user,HourOfDay,isWeekend" into cloud_x_v1 dist=norm show_density=true', input, m);
  assert.deepEqual(Object.keys(fit.rows[0]!).slice(-3), ['IsOutlier(api_calls)', 'BoundaryRanges', 'ProbabilityDensity(api_calls)']);
  const doc = m.models.get('cloud_x_v1')!.document as { by: string[]; feature: string; dist: string; showDensity: boolean; groups: { key: unknown[] }[] };
  assert.deepEqual([doc.feature, doc.by, doc.dist, doc.showDensity], ['api_calls', ['user', 'HourOfDay', 'isWeekend'], 'norm', true]);
  // By-values are canonicalised: "04" → 4, "true" → boolean; summary prints them as MLTK does.
  assert.deepEqual(doc.groups.map((g) => g.key), [['u1', 4, true], ['u2', 4, true]]);
  const s = await mlRun('| summary cloud_x_v1', undefined, m);
  assert.deepEqual(s.rows.map((r) => [r.user, r.HourOfDay, r.isWeekend]), [['u1', 4, 'True'], ['u2', 4, 'True']]);
});

test('T8 errors: two features, threshold with lower_threshold, threshold=0, unknown parameter, other algorithms', async () => {
  const m = new MemoryModels();
  await rejects(mlRun('search * | fit DensityFunction a b', rowsOf(T1), m), /exactly one feature field, got "a", "b"/);
  await rejects(mlRun('search * | fit DensityFunction x threshold=0.01 lower_threshold=0.01', rowsOf(T1), m), /threshold cannot be combined/);
  await rejects(mlRun('search * | fit DensityFunction x threshold=0', rowsOf(T1), m), /between 1e-9 and 1/);
  await rejects(mlRun('search * | fit DensityFunction x thresold=0.01', rowsOf(T1), m), /unknown parameter "thresold"/);
  await rejects(mlRun('search * | fit DensityFunction x lower_threshold=0.6 upper_threshold=0.5', rowsOf(T1), m), /must not exceed 1/);
  await rejects(mlRun('search * | fit DensityFunction x show_density=maybe', rowsOf(T1), m), /not a boolean/);
  await rejects(mlRun('search * | fit DensityFunction x threshold="0.1,0.2,0.3,0.4,0.5,0.6"', rowsOf(T1), m), /at most 5/);
  await rejects(mlRun('search * | fit LinearRegression x', rowsOf(T1), m), /algorithm "LinearRegression" is not supported/);
  await rejects(mlRun('search * | fit DensityFunction x dist=norm exclude_dist=expon', rowsOf(T1), m), /only be used with dist=auto/);
  await rejects(mlRun('search * | apply m exclude_dist=expon', rowsOf(T1), m), /can only be given to fit/);
  await rejects(mlRun('search * | fit DensityFunction x by "user,type"', rowsOf(T1), m), /may not be named "type"/);
});

test('§3.2 data preparation: non-numeric feature, decimal or gappy integer by-fields, no valid rows', async () => {
  const m = new MemoryModels();
  await rejects(mlRun('search * | fit DensityFunction x', [{ x: 1 }, { x: 'abc' }, { x: 2 }], m), /Feature "x" is not a numeric type/);
  await rejects(mlRun('search * | fit DensityFunction x by h', [{ x: 1, h: 1.5 }, { x: 2, h: 2 }], m), /By-field "h" holds decimal numbers/);
  await rejects(mlRun('search * | fit DensityFunction x by h', [{ x: 1, h: 1 }, { x: 2 }], m), /By-field "h" holds integers but is empty in some rows/);
  await rejects(mlRun('search * | fit DensityFunction x by g', [{ x: 1 }, { g: 'a' }], m), /No valid events/);
  await rejects(mlRun('search * | fit DensityFunction nosuch', [{ x: 1 }], m), /"nosuch" is empty in every row/);
  // apply on zero rows: zero rows, no error.
  await mlRun('search * | fit DensityFunction x into z', rowsOf(T1), m);
  assert.deepEqual((await mlRun('search * | where x > 100 | apply z', rowsOf(T1), m)).rows, []);
});

test('§3.5 several thresholds name the columns _th=<t>; `as` renames IsOutlier; apply reuses the fit-time threshold', async () => {
  const m = new MemoryModels();
  const fit = await mlRun('search * | fit DensityFunction x dist=norm threshold="0.01,0.05" into multi', rowsOf(T1), m);
  const row9 = fit.rows.find((r) => r.x === 9)!;
  assert.equal(row9['IsOutlier_th=0.01(x)'], 0);
  assert.equal(row9['IsOutlier_th=0.05(x)'], 1);
  assert.deepEqual(row9['BoundaryRanges_th=0.05'], ['-Infinity:1.0801:0.025', '8.9199:Infinity:0.025']);
  const as = await mlRun('search * | apply multi as out', rowsOf([9]), m);
  assert.deepEqual([as.rows[0]!['out_th=0.01'], as.rows[0]!['out_th=0.05']], [0, 1]);
  await mlRun('search * | fit DensityFunction x dist=norm threshold=0.05 into fitted05', rowsOf(T1), m);
  const bare = await mlRun('search * | apply fitted05 | rename "IsOutlier(x)" as isOutlier | search isOutlier > 0', rowsOf([9, 5]), m);
  assert.deepEqual(bare.rows.map((r) => r.x), [9]);
  const lower = await mlRun('search * | apply fitted05 lower_threshold=0.005 as low', rowsOf([-1, 11]), m);
  assert.deepEqual([lower.rows[0]!.low, lower.rows[1]!.low, lower.rows[0]!.BoundaryRanges], [1, 0, '-Infinity:-0.1517:0.005']);
});

test('apply warns that dist/metric are ignored and that small groups are unreliable', async () => {
  const m = new MemoryModels();
  await mlRun('search * | fit DensityFunction x into w', rowsOf(T1), m);
  const r = await mlRun('search * | apply w dist=expon', rowsOf([1]), m);
  assert.ok(r.warnings.some((w) => /dist is ignored by apply/.test(w)), r.warnings.join('\n'));
  assert.ok(r.warnings.some((w) => /fewer than 50 values/.test(w)));
});

test('join … [summary m] | where cardinality >= N keeps events of known, well-populated groups', async () => {
  const m = new MemoryModels();
  const train = [...rowsOf(T1, { HourOfDay: '4' }), ...rowsOf([1, 2], { HourOfDay: '5' })];
  await mlRun('search * | fit DensityFunction x by HourOfDay dist=norm into jm', train, m);
  const r = await mlRun('search * | join HourOfDay [summary jm] | where cardinality >= 3 | apply jm', [{ HourOfDay: 4, x: 11 }, { HourOfDay: 5, x: 3 }, { HourOfDay: 6, x: 3 }], m);
  assert.deepEqual(r.rows.map((x) => [x.HourOfDay, x.cardinality, x['IsOutlier(x)']]), [[4, 8, 1]]);
});

test('§3.1 limits: above 100 000 rows fit trains on (and returns) a seeded sample in input order; KDE keeps at most 10 000 points', async () => {
  const m = new MemoryModels();
  const input = Array.from({ length: 100_050 }, (_, i) => ({ i, x: i % 97 }));
  const r = await mlRun('search * | fit DensityFunction x dist=norm random_state=7', input, m);
  assert.equal(r.rows.length, 100_000);
  const ids = r.rows.map((x) => x.i as number);
  assert.ok(ids.every((v, k) => k === 0 || v > ids[k - 1]!), 'input order is kept');
  assert.ok(r.warnings.some((w) => /sample of 100000/.test(w)));
  const again = await mlRun('search * | fit DensityFunction x dist=norm random_state=7', input, m);
  assert.deepEqual(again.rows.map((x) => x.i), ids, 'the same random_state gives the same sample');

  const kde = Array.from({ length: 12_000 }, (_, i) => ({ x: (i * 7919) % 12_000 }));
  await mlRun('search * | fit DensityFunction x dist=gaussian_kde into big_kde', kde, m);
  const s = await mlRun('| summary big_kde', undefined, m);
  assert.equal(s.rows[0]!.cardinality, 12_000);
  assert.match(String(s.rows[0]!.other), /parameter size: 10000$/);
});
