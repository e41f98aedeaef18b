/**
 * Every MLTK invocation shape MLTK.md §1 lists parses to the expected tree, prints canonically and
 * re-parses to the same tree; `trailguard explain --stage ast` shows them; ML-SPL grammar errors
 * (§2) are located.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parsePipeline, printPipeline } from '../../src/spl/index.js';
import { applyModelNames, fittedModelNames } from '../../src/mltk/names.js';
import { repoPath } from '../helpers.js';
import { errorsOf, noSpans } from './util.js';

type Fields = Record<string, unknown>;

/** [SPL, index of the command to check, its expected fields (span-free)]. */
const SHAPES: [string, number, Fields][] = [
  ['x | fit DensityFunction api_calls by "user,HourOfDay,isWeekend" into cloud_x_v1 dist=norm show_density=true', 1,
    { name: 'fit', algorithm: 'DensityFunction', features: ['api_calls'], by: ['user', 'HourOfDay', 'isWeekend'], into: 'cloud_x_v1', as: null, options: { dist: 'norm', show_density: 'true' } }],
  ['x | fit DensityFunction count by "HourOfDay,isWeekend" into m dist=expon show_density=true', 1,
    { name: 'fit', algorithm: 'DensityFunction', features: ['count'], by: ['HourOfDay', 'isWeekend'], into: 'm', as: null, options: { dist: 'expon', show_density: 'true' } }],
  ['x | fit DensityFunction count by "a,b" into m', 1, { name: 'fit', algorithm: 'DensityFunction', features: ['count'], by: ['a', 'b'], into: 'm', as: null, options: {} }],
  ['x | fit DensityFunction count by user into m', 1, { name: 'fit', algorithm: 'DensityFunction', features: ['count'], by: ['user'], into: 'm', as: null, options: {} }],
  ['x | fit DensityFunction count threshold=0.0005 into m', 1, { name: 'fit', algorithm: 'DensityFunction', features: ['count'], by: [], into: 'm', as: null, options: { threshold: '0.0005' } }],
  ['x | fit DensityFunction "count" into app:m by "a, b" as out threshold="0.01,0.005"', 1,
    { name: 'fit', algorithm: 'DensityFunction', features: ['count'], by: ['a', 'b'], into: 'app:m', as: 'out', options: { threshold: '0.01,0.005' } }],
  ['x | FIT DensityFunction c BY g INTO m', 1, { name: 'fit', algorithm: 'DensityFunction', features: ['c'], by: ['g'], into: 'm', as: null, options: {} }],
  ['x | apply m threshold=0.005', 1, { name: 'apply', model: 'm', as: null, options: { threshold: '0.005' } }],
  ['x | apply m threshold=0.01', 1, { name: 'apply', model: 'm', as: null, options: { threshold: '0.01' } }],
  ['x | apply m threshold=0.001', 1, { name: 'apply', model: 'm', as: null, options: { threshold: '0.001' } }],
  ['x | apply m', 1, { name: 'apply', model: 'm', as: null, options: {} }],
  ['x | apply m as flagged', 1, { name: 'apply', model: 'm', as: 'flagged', options: {} }],
  ['x | apply pretrained_dga_model_dsdl', 1, { name: 'apply', model: 'pretrained_dga_model_dsdl', as: null, options: {} }],
  ['x | where cardinality >=16 | apply m threshold=0.005', 2, { name: 'apply', model: 'm', as: null, options: { threshold: '0.005' } }],
  ['| summary m', 0, { name: 'summary', model: 'm', options: {} }],
  ['x | rename "IsOutlier(count)" as isOutlier | where isOutlier=1', 1, { name: 'rename', pairs: [{ from: 'IsOutlier(count)', to: 'isOutlier' }] }],
  ['x | anomalydetection "count" "user_type" "user_arn" action=annotate | search probable_cause=*', 1,
    { name: 'anomalydetection', options: { action: 'annotate' }, fields: ['count', 'user_type', 'user_arn'] }],
  ['x | anomalydetection', 1, { name: 'anomalydetection', options: {}, fields: [] }],
  ['x | outlier action=RM count', 1, { name: 'outlier', options: { action: 'RM' }, fields: ['count'] }],
  ['x | makecontinuous span=1h _time', 1, { name: 'makecontinuous', field: '_time', options: { span: '1h' } }],
  ['x | makecontinuous _time span=1h', 1, { name: 'makecontinuous', field: '_time', options: { span: '1h' } }],
  ['x | makecontinuous span=10m', 1, { name: 'makecontinuous', field: null, options: { span: '10m' } }],
];

for (const [spl, index, expected] of SHAPES) {
  test(`MLTK.md §1 parses: ${spl}`, () => {
    const p = parsePipeline(spl);
    const c = noSpans(p.commands[index]) as unknown as Fields;
    assert.deepEqual({ ...c, kind: undefined }, { ...expected, kind: undefined });
    const again = parsePipeline(printPipeline(p));
    assert.deepEqual(noSpans(again), noSpans(p), `printed: ${printPipeline(p)}`);
  });
}

test('MLTK.md §1: [summary m] is a generating subsearch inside join', () => {
  for (const spl of ['x | join HourOfDay isWeekend [summary m]', 'x | join user HourOfDay isWeekend [ summary m]']) {
    const j = parsePipeline(spl).commands[1]!;
    assert.equal(j.name, 'join');
    const sub = (j as { subsearch: { commands: { name: string; model?: string }[] } }).subsearch.commands[0]!;
    assert.deepEqual([sub.name, sub.model], ['summary', 'm']);
  }
});

test('MLTK.md §2 grammar errors are located', () => {
  const cases: [string, RegExp][] = [
    ['x | fit DensityFunction c into m into n', /`into` may be given only once/],
    ['x | fit DensityFunction c by a by b', /`by` may be given only once/],
    ['x | fit DensityFunction c into 9lives', /invalid model name `9lives`/],
    ['x | fit LinearRegression y from x1', /`from` starts the target fields/],
    ['x | fit DensityFunction c by "a,,b"', /empty field name in the `by` list/],
    ['x | fit', /expected an algorithm name/],
    ['x | apply', /expected a model name/],
    ['x | apply m extra', /unexpected `extra` in `apply`/],
  ];
  for (const [spl, re] of cases) {
    const errs = errorsOf(spl);
    assert.match(errs[0]!.reason, re, spl);
    assert.ok(errs[0]!.span && errs[0]!.span.start > 0, `${spl}: error has a span`);
  }
});

test('applyModelNames / fittedModelNames list the models a pipeline reads and writes, subsearches included', () => {
  const p = parsePipeline('x | join HourOfDay [summary app:m1] | apply m2 | append [search y | fit DensityFunction c into user:m3] | fit DensityFunction d into m2');
  assert.deepEqual(applyModelNames(p), ['m1', 'm2']);
  assert.deepEqual(fittedModelNames(p), ['m3', 'm2']);
});

test('trailguard explain --stage ast prints the MLTK commands', () => {
  const dist = repoPath('dist', 'cli', 'main.js');
  const spl = 'x | fit DensityFunction api_calls by "user,HourOfDay" into cloud_x_v1 dist=norm | apply cloud_x_v1 threshold=0.005 | anomalydetection action=annotate "count" | outlier action=RM count | makecontinuous span=1h _time';
  const argv = existsSync(dist) ? [dist, 'explain', '--stage', 'ast', spl] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), 'explain', '--stage', 'ast', spl];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^2\. fit algorithm="DensityFunction" features=\[api_calls\] by=\[user, HourOfDay\] into="cloud_x_v1" options\{dist=norm\}$/m);
  assert.match(r.stdout, /^3\. apply model="cloud_x_v1" options\{threshold=0\.005\}$/m);
  assert.match(r.stdout, /^4\. anomalydetection options\{action=annotate\} fields=\[count\]$/m);
  assert.match(r.stdout, /^5\. outlier options\{action=RM\} fields=\[count\]$/m);
  assert.match(r.stdout, /^6\. makecontinuous field="_time" options\{span=1h\}$/m);
  assert.match(r.stdout, /canonical: search x \| fit DensityFunction api_calls by "user,HourOfDay" into cloud_x_v1 dist=norm \| apply cloud_x_v1 threshold=0\.005/);
});
