/** Property tests over random inputs (fast-check): invariants of time formats, snapping and matching. */
import { test } from 'node:test';
import fc from 'fast-check';
import { relativeTime, strftime, strptime, valueMatcher, wildcardToRegExp } from '../../src/eval/index.js';

const epochs = fc.integer({ min: 0, max: 4_102_444_800 }); // 1970 … 2100
const zones = fc.constantFrom('UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham');

test('§6.3 strptime(strftime(t, "%F %T %z")) = t for any instant and zone', () => {
  fc.assert(
    fc.property(epochs, zones, (t, tz) => strptime(strftime(t, '%F %T %z', tz)!, '%F %T %z', tz) === t),
    { numRuns: 500 },
  );
});

test('§6.1 snapping never moves forward and is idempotent (@m @h @d @w1 @mon @q @y) in any zone', () => {
  const snaps = fc.constantFrom('@m', '@h', '@d', '@w1', '@w0', '@mon', '@q', '@y');
  fc.assert(
    fc.property(epochs, zones, snaps, (t, tz, snap) => {
      const r = relativeTime(t, snap, tz)!;
      return r <= t && relativeTime(r, snap, tz) === r;
    }),
    { numRuns: 500 },
  );
});

test('§6.1 @d is a local midnight: strftime of the result shows 00:00:00', () => {
  fc.assert(
    fc.property(epochs, zones, (t, tz) => {
      const r = relativeTime(t, '@d', tz)!;
      const hms = strftime(r, '%H:%M:%S', tz);
      // A zone whose midnight is skipped by DST starts the day at the first instant after the jump.
      return hms === '00:00:00' || hms!.startsWith('01:');
    }),
    { numRuns: 500 },
  );
});

test('§2.3 a pattern without * matches exactly its own text, in any letter case', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 12 }).filter((x) => !x.includes('*')), (x) => {
      const m = valueMatcher(x);
      return m(x) && m(x.toUpperCase()) === (x.toUpperCase().toLowerCase() === x.toLowerCase()) && !m(`${x}_`);
    }),
    { numRuns: 500 },
  );
});

test('§2.3 a pattern without * matches a value exactly when both lower-case alike, whatever their characters', () => {
  // Characters whose lower case differs in length or leaves ASCII (İ, the Kelvin sign, ß, Σ)
  // mixed with ASCII: the matcher's shortcuts (length, same spelling) must not change an answer.
  const text = fc.string({ unit: fc.constantFrom('a', 'A', 'k', 'K', 'i', 'I', 's', '\u0130', '\u212a', '\u00df', '\u03a3', '\u0307', '1', ' '), maxLength: 6 });
  fc.assert(
    fc.property(text, text, fc.constantFrom('other', 'same', 'upper', 'lower'), (pattern, other, how) => {
      fc.pre(!pattern.includes('*'));
      const value = how === 'other' ? other : how === 'same' ? pattern : how === 'upper' ? pattern.toUpperCase() : pattern.toLowerCase();
      return valueMatcher(pattern)(value) === (value.toLowerCase() === pattern.toLowerCase());
    }),
    { numRuns: 3000 },
  );
});

test('§2.3 prefix*suffix matches every prefix + anything + suffix', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), (a, mid, b) => {
      fc.pre(!a.includes('*') && !b.includes('*'));
      return wildcardToRegExp(`${a}*${b}`).test(a + mid + b);
    }),
    { numRuns: 500 },
  );
});
