/**
 * Property tests: whatever the input, the front end either returns a tree or throws its own located
 * errors (TrailguardErrors whose spans lie inside the text), and print → parse is stable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { TrailguardError, TrailguardErrors } from '../../src/errors.js';
import { loadMacros } from '../../src/content/macros.js';
import { expandMacros, parseEvalExpression, parsePipeline, parseSearchExpression, printPipeline } from '../../src/spl/index.js';
import { repoPath } from '../helpers.js';
import { noSpans } from './util.js';

const macros = loadMacros();
const raw: string[] = [];
for (const kind of ['detections', 'baselines']) {
  const dir = repoPath('content', kind);
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yml'))) {
    const doc = parseYaml(readFileSync(`${dir}/${f}`, 'utf8')) as { search?: string };
    if (typeof doc.search === 'string') raw.push(doc.search);
  }
}
const expanded = raw.map((s) => expandMacros(s, macros).text);
const extra = [
  'eventSource=ecr.amazonaws.com eventName=PutImage date_hour>=20 OR date_hour<8 OR date_wday=saturday | where x.y > 1 AND NOT isnull(\'a.b\') | rex field=_raw "(?<j>{.+})" | spath input=j',
  '"requestParameters.x-amz-grant-read"=* x IN ("a*", b) earliest=-70m@m | join type=outer u [| inputlookup t where a=1] | append [search b] | sort - count, num(x) | dedup 2 a sortby -b',
  'x | fit DensityFunction "count" by "user,HourOfDay" into app:m dist=expon threshold="0.01,0.005" as out | apply m threshold=0.005 as o | join HourOfDay isWeekend [summary m] | anomalydetection "count" user_type action=annotate | outlier action=RM count | makecontinuous span=1h _time | fit DensityFunction c by g',
  '| makeresults count=2 | eval a=if(x LIKE "a%", 1 . "x", -2 * (3 % 2)), b=\'c d\' | head (a>1) | tail 2 | fillnull value=NULL a | mvexpand a | bin span=5m _time | iplocation src | return 3 a b=c $d | format "(" "(" "AND" ")" "OR" ")" | fields - x | table a*, b | streamstats count(eval(a>1)) as n perc95(x) | rename "IsOutlier(api_calls)" as o',
];
const seeds = [...expanded, ...extra];

const PIECES = ['|', '[', ']', '(', ')', '"', "'", '`', ',', '=', '!=', '<', '>=', '==', ' ', ' ', ' ', '\\', '*', '.', '-', 'AND', 'OR', 'NOT', 'IN', 'as', 'by', 'OUTPUT', 'where', 'from', 'datamodel=', 'search', 'stats', 'eval', 'tstats', 'lookup', 'inputlookup', 'rename', 'table', 'join', 'append', 'count', 'values(x)', 'x', 'y1', '42', '1.5', 'a.b', '{}', 'span=1h', 'earliest=', '```', '\n', 'fit', 'DensityFunction', 'into', 'apply', 'summary', 'anomalydetection', 'outlier', 'makecontinuous', '"a,b"', 'app:m', '~'];

/** Runs `fn`; anything thrown must be our located errors. Returns the result or null. */
function located<T>(text: string, fn: () => T): T | null {
  try {
    return fn();
  } catch (err) {
    const errors = err instanceof TrailguardErrors ? err.errors : err instanceof TrailguardError ? [err] : null;
    if (!errors) throw new Error(`non-Trailguard error for ${JSON.stringify(text)}: ${(err as Error)?.stack ?? err}`);
    assert.ok(errors.length > 0);
    for (const e of errors) {
      assert.ok(e instanceof TrailguardError);
      assert.ok(e.span, `error without span: ${e.reason}`);
      assert.ok(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length, `span ${JSON.stringify(e.span)} outside text of length ${text.length}: ${e.reason}`);
    }
    return null;
  }
}

function roundTrip(text: string): void {
  const p = located(text, () => parsePipeline(text));
  if (!p) return;
  const printed = printPipeline(p);
  let again;
  try {
    again = parsePipeline(printed);
  } catch (err) {
    throw new Error(`printed text does not parse.\n input:   ${text}\n printed: ${printed}\n ${(err as Error).message}`);
  }
  assert.deepEqual(noSpans(again), noSpans(p), `print changed the tree.\n input:   ${text}\n printed: ${printed}`);
}

const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(
      fc.tuple(fc.constantFrom('delete', 'insert', 'duplicate', 'piece'), fc.nat(), fc.integer({ min: 1, max: 12 }), fc.constantFrom(...PIECES)),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([seed, edits]) => {
    let s = seed;
    for (const [op, at, len, piece] of edits) {
      const i = at % (s.length + 1);
      if (op === 'delete') s = s.slice(0, i) + s.slice(i + len);
      else if (op === 'insert') s = s.slice(0, i) + piece + s.slice(i);
      else if (op === 'duplicate') s = s.slice(0, i + len) + s.slice(i, i + len) + s.slice(i + len);
      else s = s.slice(0, i) + ' ' + piece + ' ' + s.slice(i);
    }
    return s;
  });

const random = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((a) => a.join(''));
const randomSpaced = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((a) => a.join(' '));

test('fuzz: mutated seed searches parse or fail with located errors; print → parse is stable', () => {
  fc.assert(fc.property(mutated, roundTrip), { numRuns: 9000, seed: 20261123 });
});

test('fuzz: random token soup parses or fails with located errors; print → parse is stable', () => {
  fc.assert(fc.property(fc.oneof(random, randomSpaced, fc.string({ maxLength: 30 })), roundTrip), { numRuns: 9000, seed: 7 });
});

test('fuzz: search and eval expression entry points only throw located errors', () => {
  fc.assert(
    fc.property(fc.oneof(random, randomSpaced), (text) => {
      located(text, () => parseSearchExpression(text));
      located(text, () => parseEvalExpression(text));
    }),
    { numRuns: 5000, seed: 11 },
  );
});

test('fuzz: macro expansion of mutated raw searches only throws located macro errors', () => {
  const mutatedRaw = fc.tuple(fc.constantFrom(...raw), fc.nat(), fc.integer({ min: 1, max: 8 }), fc.constantFrom('`', '"', '(', ',', ')', '$')).map(([s, at, len, c]) => {
    const i = at % (s.length + 1);
    return at % 2 ? s.slice(0, i) + c + s.slice(i) : s.slice(0, i) + s.slice(i + len);
  });
  fc.assert(fc.property(mutatedRaw, (text) => void located(text, () => expandMacros(text, macros))), { numRuns: 3000, seed: 3 });
});
