/**
 * The DensityFunction distributions against MLTK.md §7's oracles (computed there with scipy 1.17 and
 * Python's statistics module). Tolerances: fitted parameters, closed-form boundaries, densities and
 * distances within 1e-12 relative (AS241 and scipy's ndtri differ in the last bit: Φ⁻¹(0.995) is
 * 2.5758293035489 here and in Python's NormalDist, 2.5758293035489004 in scipy); KDE boundaries
 * are grid points, within ±0.01 as MLTK.md states; printed boundaries (4 decimals) exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import stdlibQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { distance, fitAuto, fitDist } from '../../src/mltk/dists/index.js';
import { levelSetSearch } from '../../src/mltk/dists/levelset.js';
import { normInv } from '../../src/mltk/normal.js';
import { linspace } from '../../src/mltk/stats.js';
import { rangeText } from '../../src/mltk/density.js';
import { pyFloat, pyRound } from '../../src/mltk/pyformat.js';
import { close } from './util.js';

const T1 = [2, 4, 4, 4, 5, 5, 7, 9];
const T2 = [2, 2, 3, 3, 4, 4, 5, 6, 8, 13];
const A = [...[1, 2, 2, 3, 3, 3, 4, 4, 5], ...[1, 2, 2, 3, 3, 3, 4, 4, 5], ...[41, 42, 42, 43, 43, 43, 44, 44, 45], ...[41, 42, 42, 43, 43, 43, 44, 44, 45]];
const B = [1, 2, 2, 3, 3, 3, 4, 4, 5, 101, 102, 102, 103, 103, 103, 104, 104, 105];
const texts = (d: ReturnType<typeof fitDist>, t: number, intTyped = true) => d.ranges({ two: t }).map((r) => rangeText(r, intTyped));

test('AS241 Φ⁻¹ agrees with @stdlib\'s normal quantile in the body and with scipy in the far tails', () => {
  close(normInv(0.995), 2.5758293035489004, 1e-15, 'Φ⁻¹(0.995)');
  for (const p of [0.0005, 0.005, 0.025, 0.1, 0.3, 0.425, 0.5, 0.575, 0.9, 0.975, 0.995, 0.9995]) {
    close(normInv(p), stdlibQuantile(p, 0, 1), 1e-14, `Φ⁻¹(${p})`);
  }
  // @stdlib's quantile loses accuracy below 1e-6 (−5.9978070106 at 1e-9); scipy.stats.norm.ppf:
  close(normInv(1e-9), -5.9978070150076865, 1e-15, 'Φ⁻¹(1e-9)');
  close(normInv(1e-6), -4.753424308822899, 1e-15, 'Φ⁻¹(1e-6)');
  close(normInv(1 - 1e-9), 5.997807019601637, 1e-15, 'Φ⁻¹(1 − 1e-9)');
  assert.equal(normInv(0), -Infinity);
  assert.equal(normInv(1), Infinity);
});

test('T1 normal: μ = 5, population σ = 2, boundaries at the 0.005 quantiles, density', () => {
  const d = fitDist('norm', T1);
  assert.deepEqual(d.params(), { mean: 5, std: 2 });
  const [lo, hi] = d.ranges({ two: 0.01 });
  close(lo!.hi, -0.15165860709780077, 1e-12, 'lower boundary');
  close(hi!.lo, 10.1516586070978, 1e-12, 'upper boundary');
  assert.deepEqual(texts(d, 0.01), ['-Infinity:-0.1517:0.005', '10.1517:Infinity:0.005']);
  const [lo5, hi5] = d.ranges({ two: 0.05 });
  close(lo5!.hi, 1.080072030919892, 1e-12);
  close(hi5!.lo, 8.919927969080108, 1e-12);
  close(d.pdf(5), 0.19947114020071635);
  close(d.pdf(10), 0.008764150246784268);
  // With the sample std the bounds would be ±10.5074 and 10.2 an inlier; with σ = 2 it is outside.
  assert.ok(hi!.lo < 10.2);
});

test('T2 exponential: loc = min, scale = mean − min; upper boundaries; current-MLTK lower range; density', () => {
  const d = fitDist('expon', T2);
  assert.deepEqual(d.params(), { loc: 2, scale: 3 });
  close(d.ranges({ two: 0.01 })[1]!.lo, 15.815510557964274);
  close(d.ranges({ two: 0.005 })[1]!.lo, 17.894952099644108);
  close(d.ranges({ two: 0.0005 })[1]!.lo, 24.802707378626245);
  assert.deepEqual(texts(d, 0.01), ['-Infinity:2:0', '15.8155:Infinity:0.01']);
  assert.deepEqual(texts(d, 0.01, false), ['-Infinity:2.0:0', '15.8155:Infinity:0.01']);
  close(d.pdf(16), 0.003134520850498402);
  assert.equal(d.pdf(1), 0);
  const n = fitDist('norm', T2);
  close(n.params().mean as number, 5);
  close(n.params().std as number, 3.1937438845342623);
  assert.throws(() => fitDist('expon', [3, 3, 3]), /all values are the same/);
  assert.equal(fitDist('norm', [3, 3, 3]).params().std, 1e-6);
});

test('T4 auto: deterministic distances norm 1.09285…, expon 0.43025…, KDE ≈ 0.6806, so expon wins', () => {
  close(distance(fitDist('norm', T2), 'wasserstein'), 1.0928500628585378, 1e-12, 'norm distance');
  close(distance(fitDist('expon', T2), 'wasserstein'), 0.4302543970500542, 1e-12, 'expon distance');
  close(distance(fitDist('gaussian_kde', T2), 'wasserstein'), 0.6806, 1e-4 / 0.6806, 'KDE distance');
  assert.equal(fitAuto(T2, 'wasserstein').dist.name, 'expon');
  // Excluding the winner picks the next best.
  assert.equal(fitAuto(T2, 'wasserstein', ['expon']).dist.name, 'gaussian_kde');
  // Constant data: expon and KDE cannot fit, so auto falls back to the normal.
  assert.equal(fitAuto([3, 3, 3], 'wasserstein').dist.name, 'norm');
});

test('T5 KDE on bimodal data A: Scott bandwidth, 11 bisection steps, one range in the valley', () => {
  const d = fitDist('gaussian_kde', A);
  close(d.params().bandwidth as number, 9.922231240000485, 1e-12, 'kernel sd h');
  assert.equal(d.other(), `bandwidth: ${pyFloat(9.783451940367717)}, parameter size: 36`);
  const g = linspace(0.9, 49.5, 1000);
  const search = levelSetSearch(g, g.map((v) => d.pdf(v)), (a, b) => d.cdf(b) - d.cdf(a), 0.05);
  assert.deepEqual([search.iterations, search.stop], [11, 'no-progress']);
  const [r, ...more] = d.ranges({ two: 0.05 });
  assert.equal(more.length, 0);
  close(r!.lo, 18.7541, 0.01 / 18.7541, 'range start');
  close(r!.hi, 27.2676, 0.01 / 27.2676, 'range end');
  assert.deepEqual(texts(d, 0.05, false), ['18.7541:27.2676:0.0498']);
  const inside = (v: number) => r!.lo < v && v < r!.hi;
  for (const v of [19, 23, 27]) assert.ok(inside(v), `${v} should be an outlier`);
  for (const v of [0, 3, 10, 18, 28, 30, 44, 60]) assert.ok(!inside(v), `${v} should be an inlier`);
  // The normal fit of the same data flags nothing at 0.05: bounds (−16.26, 62.26).
  const n = fitDist('norm', A).ranges({ two: 0.05 });
  close(n[0]!.hi, -16.26, 0.01 / 16.26);
  close(n[1]!.lo, 62.26, 0.01 / 62.26);
});

test('T5 KDE: on T1 data only an upper range (the left tail is outside the grid); data B gives no range', () => {
  const d = fitDist('gaussian_kde', T1);
  assert.deepEqual(texts(d, 0.01, false).map((t) => t.split(':').slice(0, 2).join(':')), ['9.6162:Infinity']);
  assert.ok(!d.ranges({ two: 0.01 }).some((r) => r.lo < -5 && -5 < r.hi));
  const b = fitDist('gaussian_kde', B);
  const g = linspace(0.9, 1.1 * 105, 1000);
  const search = levelSetSearch(g, g.map((v) => b.pdf(v)), (x, y) => b.cdf(y) - b.cdf(x), 0.01);
  assert.deepEqual([search.iterations, search.stop, search.ranges.length], [3, 'no-progress', 0]);
  assert.deepEqual(b.ranges({ two: 0.01 }), []);
});

test('KDE one-tailed thresholds: each tail holds the asked mass within 0.1%', () => {
  const d = fitDist('gaussian_kde', A);
  const [lower, upper] = d.ranges({ lower: 0.05, upper: 0.05 });
  assert.equal(lower!.lo, -Infinity);
  assert.equal(upper!.hi, Infinity);
  close(d.cdf(lower!.hi) - d.cdf(0.9), 0.05, 0.001);
  close(d.cdf(49.5) - d.cdf(upper!.lo), 0.05, 0.001);
});

test('Python number formatting: str(float) layout and round() ties to even', () => {
  assert.deepEqual([10, 5e-5, 1e16, 1.5e-7, 0.0001, -0.1517, 1e15, 0.005].map(pyFloat), ['10.0', '5e-05', '1e+16', '1.5e-07', '0.0001', '-0.1517', '1000000000000000.0', '0.005']);
  assert.equal(pyRound(1.03125, 4), 1.0312); // an exact binary tie: to even
  assert.equal(pyRound(1.03135, 4), 1.0313); // not a tie in binary
  assert.equal(pyRound(-0.15165860709780077, 4), -0.1517);
});
