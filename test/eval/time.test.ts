/** Time modifiers, snapping, zones and formats: SPL.md §6. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrailguardError } from '../../src/errors.js';
import { parseTimeBound, relativeTime, strftime, strptime } from '../../src/eval/index.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
const iso = (t: number | null) => (t === null ? null : new Date(t * 1000).toISOString().replace('.000', ''));
// Tuesday 2024-03-05 17:02:11 UTC
const T = utc(2024, 3, 5, 17, 2, 11);

const UTC_CASES: [string, string][] = [
  ['-70m@m', '2024-03-05T15:52:00Z'],
  ['-24h@h', '2024-03-04T17:00:00Z'],
  ['-10m@m', '2024-03-05T16:52:00Z'],
  ['-1d@d', '2024-03-04T00:00:00Z'],
  ['-7d@d', '2024-02-27T00:00:00Z'],
  ['-90d@d', '2023-12-06T00:00:00Z'],
  ['-1h', '2024-03-05T16:02:11Z'],
  ['+1h', '2024-03-05T18:02:11Z'],
  ['now', '2024-03-05T17:02:11Z'],
  ['@d', '2024-03-05T00:00:00Z'],
  ['@w0', '2024-03-03T00:00:00Z'],
  ['@w', '2024-03-03T00:00:00Z'],
  ['@w1', '2024-03-04T00:00:00Z'],
  ['@w2', '2024-03-05T00:00:00Z'],
  ['@w3', '2024-02-28T00:00:00Z'],
  ['@mon', '2024-03-01T00:00:00Z'],
  ['@q', '2024-01-01T00:00:00Z'],
  ['@y', '2024-01-01T00:00:00Z'],
  ['-1mon@mon', '2024-02-01T00:00:00Z'],
  ['-1q@q', '2023-10-01T00:00:00Z'],
  ['-1y@y', '2023-01-01T00:00:00Z'],
  ['-1d@d+2h', '2024-03-04T02:00:00Z'],
  ['-2w', '2024-02-20T17:02:11Z'],
  ['-30s', '2024-03-05T17:01:41Z'],
  ['-1days', '2024-03-04T17:02:11Z'],
  ['-3minutes@m', '2024-03-05T16:59:00Z'],
  ['-1hr', '2024-03-05T16:02:11Z'],
  ['-1quarters', '2023-12-05T17:02:11Z'],
  ['-1yr', '2023-03-05T17:02:11Z'],
  ['-h', '2024-03-05T16:02:11Z'],
];

for (const [spec, expected] of UTC_CASES) {
  test(`§6.1 relative_time(2024-03-05T17:02:11Z, "${spec}") = ${expected} (UTC)`, () => {
    assert.equal(iso(relativeTime(T, spec, 'UTC')), expected);
  });
}

test('§6.1 snapping rounds down across a month boundary: -1d@d on March 1st gives Feb 29 (leap year)', () => {
  assert.equal(iso(relativeTime(utc(2024, 3, 1, 0, 30), '-1d@d', 'UTC')), '2024-02-29T00:00:00Z');
});

test('§6.1 @w1 on a Sunday snaps back six days to Monday', () => {
  assert.equal(iso(relativeTime(utc(2024, 3, 10, 12), '@w1', 'UTC')), '2024-03-04T00:00:00Z');
  assert.equal(iso(relativeTime(utc(2024, 3, 10, 12), '@w0', 'UTC')), '2024-03-10T00:00:00Z');
});

test('§6.1 week snapping across a year boundary: @w1 on 2025-01-01 gives 2024-12-30', () => {
  assert.equal(iso(relativeTime(utc(2025, 1, 1, 5), '@w1', 'UTC')), '2024-12-30T00:00:00Z');
});

test('§6.1 -1mon clamps to the end of a shorter month (Mar 31 → Feb 29)', () => {
  assert.equal(iso(relativeTime(utc(2024, 3, 31, 10), '-1mon', 'UTC')), '2024-02-29T10:00:00Z');
});

test('§6.1 @d snaps to local midnight in a non-UTC zone (America/New_York)', () => {
  // 03:00 UTC on Mar 5 is 22:00 on Mar 4 in New York (EST, UTC-5).
  assert.equal(iso(relativeTime(utc(2024, 3, 5, 3), '@d', 'America/New_York')), '2024-03-04T05:00:00Z');
});

test('§6.1 DST: -1d keeps the wall-clock time across spring-forward (New York, 2024-03-10)', () => {
  // 2024-03-10 12:00 EDT = 16:00 UTC; a day earlier is 2024-03-09 12:00 EST = 17:00 UTC (23 h earlier).
  const t = utc(2024, 3, 10, 16);
  const r = relativeTime(t, '-1d', 'America/New_York')!;
  assert.equal(iso(r), '2024-03-09T17:00:00Z');
  assert.equal(t - r, 23 * 3600);
});

test('§6.1 DST: @d on the spring-forward day is midnight EST (05:00 UTC)', () => {
  assert.equal(iso(relativeTime(utc(2024, 3, 10, 16), '@d', 'America/New_York')), '2024-03-10T05:00:00Z');
});

test('§6.1 DST: -1d@d across fall-back (Europe/Berlin, 2024-10-27) lands on local midnight CEST', () => {
  // 2024-10-28 09:00 CET = 08:00 UTC; -1d@d = 2024-10-27 00:00 CEST = 2024-10-26 22:00 UTC.
  assert.equal(iso(relativeTime(utc(2024, 10, 28, 8), '-1d@d', 'Europe/Berlin')), '2024-10-26T22:00:00Z');
});

test('§6.1 @h in a half-hour zone (Asia/Kolkata, UTC+5:30) snaps to the local hour', () => {
  // 17:02 UTC = 22:32 IST → 22:00 IST = 16:30 UTC.
  assert.equal(iso(relativeTime(T, '@h', 'Asia/Kolkata')), '2024-03-05T16:30:00Z');
});

test('§6.1 @w1 in a non-UTC zone uses the local weekday (Pacific/Auckland, UTC+13)', () => {
  // 2024-03-10 12:00 UTC is Monday 2024-03-11 01:00 NZDT → @w1 = Mon 00:00 NZDT = 2024-03-10T11:00Z.
  assert.equal(iso(relativeTime(utc(2024, 3, 10, 12), '@w1', 'Pacific/Auckland')), '2024-03-10T11:00:00Z');
});

test('§6.1 invalid modifiers return null', () => {
  for (const bad of ['1d', '-1x', '@zz', '-d@', 'yesterday', '@d3']) assert.equal(relativeTime(T, bad, 'UTC'), null, bad);
});

test('§6.1 fractional epochs keep their fraction through an offset and lose it on a snap', () => {
  assert.equal(relativeTime(T + 0.25, '-1h', 'UTC'), T + 0.25 - 3600);
  assert.equal(relativeTime(T + 0.25, '@s', 'UTC'), T);
});

// ── parseTimeBound ──
test('§2.9 parseTimeBound: modifiers relative to now, epoch numbers, now', () => {
  assert.equal(parseTimeBound('-1h', T, 'UTC'), T - 3600);
  assert.equal(parseTimeBound('now', T, 'UTC'), T);
  assert.equal(parseTimeBound('1709658131', 0, 'UTC'), 1709658131);
  assert.equal(parseTimeBound('0', T, 'UTC'), 0);
  assert.equal(parseTimeBound('@d', T, 'UTC'), utc(2024, 3, 5));
});

test('§2.9 parseTimeBound: ISO-8601 with Z, with an offset, and without a zone (search zone)', () => {
  assert.equal(parseTimeBound('2024-03-05T17:02:11Z', 0), T);
  assert.equal(parseTimeBound('2024-03-05T18:02:11+01:00', 0), T);
  assert.equal(parseTimeBound('2024-03-05T12:02:11', 0, 'America/New_York'), T);
  assert.equal(parseTimeBound('2024-03-05', 0, 'UTC'), utc(2024, 3, 5));
  assert.equal(parseTimeBound('2024-03-05T17:02:11.5Z', 0), T + 0.5);
});

test('§2.9 parseTimeBound: Splunk %m/%d/%Y:%H:%M:%S form', () => {
  assert.equal(parseTimeBound('03/05/2024:17:02:11', 0, 'UTC'), T);
});

test('§2.9 parseTimeBound: unreadable text is a TrailguardError with a hint', () => {
  assert.throws(() => parseTimeBound('last tuesday', T, 'UTC'), (e: unknown) => e instanceof TrailguardError && e.code === 'bad-time' && e.hints.length > 0);
});

test('unknown time zone is a TrailguardError', () => {
  assert.throws(() => relativeTime(T, '@d', 'Mars/Olympus'), TrailguardError);
});

// ── strftime ──
test('§6.3 strftime %Y %m %d %H %M %S zero-padded; security_content_ctime format', () => {
  assert.equal(strftime(utc(2024, 3, 5, 7, 2, 1), '%Y-%m-%dT%H:%M:%S', 'UTC'), '2024-03-05T07:02:01');
  assert.equal(strftime(T, '%m/%d/%Y %H:%M:%S', 'UTC'), '03/05/2024 17:02:11');
});

test('§6.3 strftime names, day numbers and 12-hour clock', () => {
  assert.equal(strftime(T, '%a %A %b %B %j %w %u %e %I %p %y', 'UTC'), 'Tue Tuesday Mar March 065 2 2  5 05 PM 24');
  assert.equal(strftime(utc(2024, 3, 10), '%w %u %I %p', 'UTC'), '0 7 12 AM');
});

test('§6.3 strftime %T %F %s %% and zone codes', () => {
  assert.equal(strftime(T, '%F %T %s %%', 'UTC'), `2024-03-05 17:02:11 ${T} %`);
  assert.equal(strftime(T, '%z %Z', 'UTC'), '+0000 UTC');
  assert.equal(strftime(T, '%H %z', 'Asia/Kolkata'), '22 +0530');
  assert.equal(strftime(T, '%H %z', 'America/New_York'), '12 -0500');
});

test('§6.3 strftime on a fractional epoch: %3N %6N %N %Q subseconds (truncated)', () => {
  assert.equal(strftime(T + 0.123456, '%S.%3N|%6N|%N|%Q', 'UTC'), '11.123|123456|123456000|123');
  assert.equal(strftime(T + 0.9999, '%S.%3N', 'UTC'), '11.999');
});

test('§6.3 strftime in DST: the same instant prints summer offset in July', () => {
  assert.equal(strftime(utc(2024, 7, 1, 12), '%H:%M %z', 'Europe/Berlin'), '14:00 +0200');
  assert.equal(strftime(utc(2024, 1, 1, 12), '%H:%M %z', 'Europe/Berlin'), '13:00 +0100');
});

test('§6.3 strftime of a non-finite epoch is null; unknown codes are copied', () => {
  assert.equal(strftime(Number.NaN, '%Y', 'UTC'), null);
  assert.equal(strftime(T, '%Y %q', 'UTC'), '2024 %q');
});

// ── strptime ──
test('§6.3 strptime/strftime round-trip for several formats and zones', () => {
  const formats = ['%Y-%m-%dT%H:%M:%S', '%m/%d/%Y %H:%M:%S', '%d %b %Y %I:%M:%S %p', '%A, %B %d %Y %T', '%F %T %z', '%y%m%d%H%M%S'];
  for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
    for (const f of formats) {
      for (const t of [T, utc(2023, 12, 31, 23, 59, 59), utc(2024, 7, 4, 0, 0, 0)]) {
        const text = strftime(t, f, tz)!;
        assert.equal(strptime(text, f, tz), t, `${f} ${tz} ${text}`);
      }
    }
  }
});

test('§6.3 strptime with subseconds and epoch codes', () => {
  assert.equal(strptime('2024-03-05T17:02:11.250Z', '%Y-%m-%dT%H:%M:%S.%3N%Z', 'America/New_York'), T + 0.25);
  assert.equal(strptime(String(T), '%s', 'UTC'), T);
});

test('§1.6 strptime of CloudTrail eventTime (%Y-%m-%dT%H:%M:%S%Z with Z) is UTC whatever the zone', () => {
  assert.equal(strptime('2024-03-05T17:02:11Z', '%Y-%m-%dT%H:%M:%S%Z', 'Europe/Berlin'), T);
});

test('§6.3 strptime: %j day of year, %e space-padded day, literal %%', () => {
  assert.equal(strptime('2024 065', '%Y %j', 'UTC'), utc(2024, 3, 5));
  assert.equal(strptime(' 5/03/2024', '%e/%m/%Y', 'UTC'), utc(2024, 3, 5));
  assert.equal(strptime('100% 2024', '100%% %Y', 'UTC'), utc(2024, 1, 1));
});

test('§6.3 strptime: malformed or out-of-range input → null', () => {
  assert.equal(strptime('2024-13-01', '%Y-%m-%d', 'UTC'), null);
  assert.equal(strptime('2024-02-30', '%Y-%m-%d', 'UTC'), null);
  assert.equal(strptime('hello', '%Y', 'UTC'), null);
  assert.equal(strptime('2024-03-05', '%Y/%m/%d', 'UTC'), null);
  assert.equal(strptime('25:00', '%H:%M', 'UTC'), null);
});

test('§6.3 strptime: local time in a zone; a time skipped by DST maps past the jump', () => {
  assert.equal(strptime('2024-03-10 01:30', '%Y-%m-%d %H:%M', 'America/New_York'), utc(2024, 3, 10, 6, 30));
  assert.equal(strptime('2024-03-10 03:30', '%Y-%m-%d %H:%M', 'America/New_York'), utc(2024, 3, 10, 7, 30));
  assert.equal(strptime('2024-03-10 02:30', '%Y-%m-%d %H:%M', 'America/New_York'), utc(2024, 3, 10, 7, 30));
});

test('§6.3 strptime: an ambiguous fall-back time takes its first occurrence', () => {
  // 2024-11-03 01:30 occurs twice in New York: first at 05:30 UTC (EDT).
  assert.equal(strptime('2024-11-03 01:30', '%Y-%m-%d %H:%M', 'America/New_York'), utc(2024, 11, 3, 5, 30));
});
