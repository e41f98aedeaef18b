/**
 * Turns one record's text into an event (its `_raw` and time) or says why it is not one.
 * Handles plain CloudTrail events, EventBridge envelopes (the event is `detail`), exports that
 * carry `@timestamp` instead of `eventTime`, and a wrapper found where an event was expected
 * (`{"Records":[…]}` or an array on one line), which is expanded into its elements.
 */
import type { IssueKind } from './types.js';
import { parseEventTime, stringAt, topLevelSpans, skipValue, type ValueSpan } from './toplevel.js';

export type Classified =
  | { kind: 'event'; raw: string; time: number }
  | { kind: 'issue'; issue: IssueKind; message: string }
  /** Text of a container whose elements are the events (scan it as `mode`). */
  | { kind: 'container'; text: string; mode: 'array' | 'records' };

const KEYS = ['eventTime', '@timestamp', 'detail', 'detail-type', 'time', 'Records'] as const;

function describe(text: string): string {
  const t = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(t);
}

function issue(kind: IssueKind, message: string): Classified {
  return { kind: 'issue', issue: kind, message };
}

function timeFrom(text: string, span: ValueSpan, key: string): Classified | number {
  const s = stringAt(text, span);
  const t = s === null ? null : parseEventTime(s);
  if (t === null) return issue('no-time', `${key} is not a valid time: ${text.slice(span.start, Math.min(span.end, span.start + 60))}`);
  return t;
}

/** Classifies `text`, which is exactly one JSON value (no surrounding whitespace needed). */
export function classifyRecord(text: string, validateJson = false): Classified {
  const first = text.charCodeAt(0);
  if (first !== 0x7b) {
    if (first === 0x5b && skipValue(text, 0) === text.length) return { kind: 'container', text, mode: 'array' };
    try {
      JSON.parse(text);
    } catch {
      return issue('unparsable', `not valid JSON: ${describe(text)}`);
    }
    return issue('not-object', `record is not a JSON object: ${describe(text)}`);
  }
  // Only the top level up to eventTime is walked (nothing after it); a record must also end with
  // its closing brace, which catches cut-off lines. Anything malformed deeper inside is found by
  // the field model's parse, or here with validateJson.
  const spans = topLevelSpans(text, KEYS, 'eventTime');
  if (spans === null || text.charCodeAt(text.length - 1) !== 0x7d) {
    return issue('unparsable', `not valid JSON (malformed or cut-off object): ${describe(text)}`);
  }
  if (validateJson) {
    try {
      JSON.parse(text);
    } catch (e) {
      return issue('unparsable', `not valid JSON (${(e as Error).message}): ${describe(text)}`);
    }
  }
  const eventTime = spans.get('eventTime');
  if (eventTime) {
    const t = timeFrom(text, eventTime, 'eventTime');
    return typeof t === 'number' ? { kind: 'event', raw: text, time: t } : t;
  }
  const detail = spans.get('detail');
  if (detail && spans.has('detail-type') && text.charCodeAt(detail.start) === 0x7b) {
    const inner = text.slice(detail.start, detail.end);
    const innerResult = classifyRecord(inner, false);
    if (innerResult.kind === 'event') return innerResult;
    const envelopeTime = spans.get('time');
    if (innerResult.kind === 'issue' && innerResult.issue === 'no-time' && envelopeTime) {
      const t = timeFrom(text, envelopeTime, 'time');
      return typeof t === 'number' ? { kind: 'event', raw: inner, time: t } : t;
    }
    return innerResult;
  }
  const stamp = spans.get('@timestamp');
  if (stamp) {
    const t = timeFrom(text, stamp, '@timestamp');
    return typeof t === 'number' ? { kind: 'event', raw: text, time: t } : t;
  }
  const records = spans.get('Records');
  if (records && text.charCodeAt(records.start) === 0x5b) return { kind: 'container', text, mode: 'records' };
  return issue('no-time', 'event has no eventTime (nor @timestamp)');
}
