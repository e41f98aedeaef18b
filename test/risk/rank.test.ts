/**
 * Risk ranking and the two risk incident rules on hand-made risk events; every expected value
 * below is summed by hand from the events listed (boundaries: the rules' windows exclude their
 * start, the ranking window includes --since, events after now are ignored).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankRiskObjects, riskEventsNeededSince } from '../../src/risk/rank.js';
import type { RiskEvent } from '../../src/state/findings.js';

const N = Date.parse('2026-11-20T12:00:00Z') / 1000;
const H = 3600;
const D = 86400;

let k = 0;
function ev(object: string, object_type: string, t: number, score: number, detection: string, tactics: string[]): RiskEvent {
  return { finding_id: `f${++k}`, time: new Date(t * 1000).toISOString(), object, object_type, score, detection_id: `id-${detection}`, detection_name: detection, mitre_ids: [], tactics };
}

const EVENTS: RiskEvent[] = [
  ev('alice', 'user', N - 2 * H, 60, 'Det A', ['Initial Access']),
  ev('alice', 'user', N - 10 * H, 50, 'Det B', ['Persistence']),
  ev('alice', 'user', N - 20 * H, 0, 'Det A', ['Initial Access']),
  ev('alice', 'user', N - 3 * D, 30, 'Det C', ['Discovery']),
  ev('alice', 'system', N - 1 * H, 5, 'Det A', ['Execution']),
  ev('bob', 'user', N - 1 * D, 10, 'Det D1', ['Discovery']),
  ev('bob', 'user', N - 2 * D, 10, 'Det D2', ['Discovery']),
  ev('bob', 'user', N - 5 * D, 10, 'Det D3', ['Collection']),
  ev('bob', 'user', N - 6.9 * D, 10, 'Det D4', ['Exfiltration']),
  ev('203.0.113.7', 'ip_address', N - 1 * H, 100, 'Det E', ['Initial Access']),
  ev('carol', 'user', N - 1 * D + 1, 20, 'C1', ['Discovery']),
  ev('carol', 'user', N - 2 * D, 20, 'C2', ['Collection']),
  ev('carol', 'user', N - 3 * D, 20, 'C3', ['Exfiltration']),
  ev('carol', 'user', N - 7 * D, 20, 'C4', ['Impact']),
  ev('dave', 'user', N + 60, 500, 'Det A', ['Impact']),
  ev('eve', 'user', N - 10 * D, 40, 'Det A', ['Impact']),
];

const brief = (list: ReturnType<typeof rankRiskObjects>) => list.map((r) => [r.object_type, r.object, r.score, r.events, r.sources, r.tactics.length, r.rules.over100in24h, r.rules.tactics3sources4in7d]);

test('ranking over every event up to now: summed score, then distinct tactics; both rules over their own windows', () => {
  const list = rankRiskObjects(EVENTS, { now: N });
  assert.deepEqual(brief(list), [
    ['user', 'alice', 140, 4, 3, 3, true, false], // 24h: 60+50+0 = 110 > 100; 7d: 3 tactics but 3 sources
    ['ip_address', '203.0.113.7', 100, 1, 1, 1, false, false], // exactly 100 is not over 100
    ['user', 'carol', 80, 4, 4, 4, false, false], // C4 is exactly 7 days old: outside the rule's window → 3 tactics, 3 sources
    ['user', 'bob', 40, 4, 4, 3, false, true], // 3 tactics from 4 detections within 7 days; D1 exactly 24h old is outside the 24h window
    ['user', 'eve', 40, 1, 1, 1, false, false], // ties bob on score, fewer tactics
    ['system', 'alice', 5, 1, 1, 1, false, false], // same value, other type: another object
  ]);
  const alice = list[0]!;
  assert.deepEqual(alice.detections, ['Det A', 'Det B', 'Det C']);
  assert.deepEqual(alice.tactics, ['Discovery', 'Initial Access', 'Persistence']);
  assert.deepEqual(alice.measures, { score_24h: 110, tactics_7d: 3, sources_7d: 3 });
  assert.equal(alice.first, '2026-11-17T12:00:00.000Z');
  assert.equal(alice.last, '2026-11-20T10:00:00.000Z');
  assert.deepEqual(list.find((r) => r.object === 'bob')!.measures, { score_24h: 0, tactics_7d: 3, sources_7d: 4 });
  assert.deepEqual(list.find((r) => r.object === 'carol')!.measures, { score_24h: 20, tactics_7d: 3, sources_7d: 3 });
  assert.ok(!list.some((r) => r.object === 'dave'), 'events after now are ignored');
});

test('--since narrows the ranking (inclusive), not the rules; an object that trips a rule is listed even with no event in the window', () => {
  assert.deepEqual(brief(rankRiskObjects(EVENTS, { now: N, since: N - 24 * H })), [
    ['user', 'alice', 110, 3, 2, 2, true, false],
    ['ip_address', '203.0.113.7', 100, 1, 1, 1, false, false],
    ['user', 'carol', 20, 1, 1, 1, false, false],
    ['user', 'bob', 10, 1, 1, 1, false, true], // D1 at exactly --since is in the ranking window
    ['system', 'alice', 5, 1, 1, 1, false, false],
  ]);
  const hour = rankRiskObjects(EVENTS, { now: N, since: N - 1 * H });
  assert.deepEqual(brief(hour), [
    ['ip_address', '203.0.113.7', 100, 1, 1, 1, false, false],
    ['system', 'alice', 5, 1, 1, 1, false, false],
    ['user', 'alice', 0, 0, 0, 0, true, false],
    ['user', 'bob', 0, 0, 0, 0, false, true],
  ]);
  assert.equal(hour[2]!.first, null);
});

test('the rules move with now, and the input order does not matter', () => {
  // A day later alice's 24h sum is 0 and bob's oldest detections have left the 7-day window.
  const later = rankRiskObjects(EVENTS, { now: N + D });
  const alice = later.find((r) => r.object === 'alice' && r.object_type === 'user')!;
  assert.equal(alice.rules.over100in24h, false);
  assert.equal(later.find((r) => r.object === 'bob')!.rules.tactics3sources4in7d, false);
  // dave's event is now in the past: 500 in the last 24h.
  assert.deepEqual(brief(later.filter((r) => r.object === 'dave')), [['user', 'dave', 500, 1, 1, 1, true, false]]);
  const shuffled = [...EVENTS].reverse();
  assert.deepEqual(rankRiskObjects(shuffled, { now: N }), rankRiskObjects(EVENTS, { now: N }));
  assert.deepEqual(rankRiskObjects([], { now: N }), []);
});

test('riskEventsNeededSince covers both the ranking window and the 7-day rule', () => {
  assert.equal(riskEventsNeededSince({ now: N, since: N - H }), N - 7 * D);
  assert.equal(riskEventsNeededSince({ now: N, since: N - 30 * D }), N - 30 * D);
});
