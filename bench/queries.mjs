// The benchmark's query table: one SPL search and the DuckDB SQL that returns the same rows on
// CloudTrail NDJSON, plus a plain-JS reference used only to decide who is right on a mismatch.
//
// Equivalence rules the SQL has to follow (SPL.md):
// - The first stage is always an implicit `search` (§2): `stats count by a` alone would search for
//   the words stats, count, by, a. A full scan is written `* | stats …`.
// - `search f=v` compares case-insensitively (§2), so the SQL compares lower(f) with a lower-case
//   literal.
// - `stats … by a b` drops rows where a by-field is null (§4) but keeps "" — hence IS NOT NULL.
// - `errorCode=success` means the raw errorCode is absent (§9.1: the field model fills in
//   "success", or "failure" for a failed ConsoleLogin), so the SQL says errorCode IS NULL and the
//   query also requires eventType=AwsApiCall, which excludes ConsoleLogin (an AwsConsoleSignIn).
// - `_time` is eventTime in epoch seconds (§1.4, §1.6); DuckDB reads eventTime as TIMESTAMP, so
//   epoch() turns it back into seconds.
// - dc() counts distinct values case-sensitively, like count(DISTINCT …).
// `{events}` in the SQL is replaced by the read_ndjson_auto(...) call over the data files.
// `columns` is the output projection both sides are compared on.
//
// AWS_QUERIES run on the AWSLogs/ delivery tree (thousands of small gzipped {"Records":[…]}
// files). Their SQL reads `{records}`: one row `r` (JSON) per event, from
// read_json(<globs>, columns={Records: 'JSON[]'}) and unnest, so DuckDB parses every file too.
// `window` (optional) is the search's time range; Trailguard gets it as --earliest/--now and
// DuckDB gets only the day directories it covers plus the same bound in SQL.

const lower = (v) => (typeof v === 'string' ? v.toLowerCase() : typeof v === 'boolean' || typeof v === 'number' ? String(v) : null);
const get = (obj, path) => {
  let cur = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[key];
  }
  return cur === null ? undefined : cur;
};
const epoch = (iso) => Date.parse(iso) / 1000;

/** A reference aggregation: `key(ev)` (undefined drops the event) and a fold into per-group state. */
function countBy(keys, where = () => true) {
  return {
    where,
    key: (ev) => {
      const parts = keys.map((k) => get(ev, k));
      return parts.some((p) => p === undefined) ? undefined : parts;
    },
    init: () => ({ count: 0 }),
    add: (s) => void s.count++,
    out: (parts, s) => [...parts, s.count],
  };
}

export const QUERIES = [
  {
    name: 'count by source,name',
    about: 'full scan, two top-level group keys',
    spl: '* | stats count by eventSource eventName',
    sql: `SELECT eventSource, eventName, count(*) AS "count"
          FROM {events}
          WHERE eventSource IS NOT NULL AND eventName IS NOT NULL
          GROUP BY eventSource, eventName`,
    columns: ['eventSource', 'eventName', 'count'],
    reference: countBy(['eventSource', 'eventName']),
  },
  {
    name: 'baseline core',
    about: 'seed baseline: AssumedRole API calls without error, first/last seen per API',
    spl: 'eventType=AwsApiCall userIdentity.type=AssumedRole errorCode=success | stats earliest(_time) as earliest latest(_time) as latest by eventName',
    sql: `SELECT eventName, epoch(min(eventTime)) AS earliest, epoch(max(eventTime)) AS latest
          FROM {events}
          WHERE lower(eventType) = 'awsapicall' AND lower(userIdentity."type") = 'assumedrole'
            AND errorCode IS NULL AND eventName IS NOT NULL
          GROUP BY eventName`,
    columns: ['eventName', 'earliest', 'latest'],
    reference: {
      where: (ev) => lower(ev.eventType) === 'awsapicall' && lower(get(ev, 'userIdentity.type')) === 'assumedrole' && get(ev, 'errorCode') === undefined,
      key: (ev) => (get(ev, 'eventName') === undefined ? undefined : [ev.eventName]),
      init: () => ({ lo: Infinity, hi: -Infinity }),
      add: (s, ev) => {
        const t = epoch(ev.eventTime);
        if (t < s.lo) s.lo = t;
        if (t > s.hi) s.hi = t;
      },
      out: (parts, s) => [...parts, s.lo, s.hi],
    },
  },
  {
    name: 'MFA core',
    about: 'seed MFA detection: sessions without MFA, count per caller',
    spl: 'userIdentity.sessionContext.attributes.mfaAuthenticated=false | stats count by userIdentity.arn',
    sql: `SELECT userIdentity.arn AS "userIdentity.arn", count(*) AS "count"
          FROM {events}
          WHERE lower(CAST(userIdentity.sessionContext.attributes.mfaAuthenticated AS VARCHAR)) = 'false'
            AND userIdentity.arn IS NOT NULL
          GROUP BY userIdentity.arn`,
    columns: ['userIdentity.arn', 'count'],
    reference: countBy(['userIdentity.arn'], (ev) => lower(get(ev, 'userIdentity.sessionContext.attributes.mfaAuthenticated')) === 'false'),
  },
  {
    name: 'ConsoleLogin by IP',
    about: 'selective filter (few matching events)',
    spl: 'eventName=ConsoleLogin | stats count by sourceIPAddress',
    sql: `SELECT sourceIPAddress, count(*) AS "count"
          FROM {events}
          WHERE lower(eventName) = 'consolelogin' AND sourceIPAddress IS NOT NULL
          GROUP BY sourceIPAddress`,
    columns: ['sourceIPAddress', 'count'],
    reference: countBy(['sourceIPAddress'], (ev) => lower(ev.eventName) === 'consolelogin'),
  },
  {
    name: 'selective eventName',
    about: 'one rare eventName (90 of 300k events)',
    spl: 'eventName=CreateUser | stats count by userIdentity.arn',
    sql: `SELECT userIdentity.arn AS "userIdentity.arn", count(*) AS "count"
          FROM {events}
          WHERE lower(eventName) = 'createuser' AND userIdentity.arn IS NOT NULL
          GROUP BY userIdentity.arn`,
    columns: ['userIdentity.arn', 'count'],
    reference: countBy(['userIdentity.arn'], (ev) => lower(ev.eventName) === 'createuser'),
  },
  {
    name: 'selective rare user',
    about: 'the rarest user (2,047 of 300k events)',
    spl: 'userIdentity.userName=tomas.novak | stats count by eventName',
    sql: `SELECT eventName, count(*) AS "count"
          FROM {events}
          WHERE lower(userIdentity.userName) = 'tomas.novak' AND eventName IS NOT NULL
          GROUP BY eventName`,
    columns: ['eventName', 'count'],
    reference: countBy(['eventName'], (ev) => lower(get(ev, 'userIdentity.userName')) === 'tomas.novak'),
  },
  {
    name: 'dc(eventName) by arn',
    about: 'full scan, nested group key, distinct count',
    spl: '* | stats dc(eventName) by userIdentity.arn',
    sql: `SELECT userIdentity.arn AS "userIdentity.arn", count(DISTINCT eventName) AS "dc(eventName)"
          FROM {events}
          WHERE userIdentity.arn IS NOT NULL
          GROUP BY userIdentity.arn`,
    columns: ['userIdentity.arn', 'dc(eventName)'],
    reference: {
      where: () => true,
      key: (ev) => (get(ev, 'userIdentity.arn') === undefined ? undefined : [ev.userIdentity.arn]),
      init: () => ({ names: new Set() }),
      add: (s, ev) => {
        if (ev.eventName !== undefined && ev.eventName !== null) s.names.add(ev.eventName);
      },
      out: (parts, s) => [...parts, s.names.size],
    },
  },
];

const GENERATE_END_EPOCH = Date.parse('2026-01-10T12:00:00Z') / 1000;

export const AWS_QUERIES = [
  {
    name: 'aws: count by eventName',
    about: 'full scan of every delivery file',
    spl: '* | stats count by eventName',
    sql: `SELECT json_extract_string(r, '$.eventName') AS eventName, count(*) AS "count"
          FROM {records}
          WHERE json_extract_string(r, '$.eventName') IS NOT NULL
          GROUP BY 1`,
    columns: ['eventName', 'count'],
    reference: countBy(['eventName']),
  },
  {
    name: 'aws: last day, count by eventName',
    about: '--earliest -1d: Trailguard prunes the tree by directory and file name; DuckDB is given the two day directories the day spans',
    spl: '* | stats count by eventName',
    window: { earliest: '-1d', now: '2026-01-10T12:00:00Z', days: ['2026/01/09', '2026/01/10'] },
    sql: `SELECT json_extract_string(r, '$.eventName') AS eventName, count(*) AS "count"
          FROM {records}
          WHERE json_extract_string(r, '$.eventName') IS NOT NULL AND CAST(json_extract_string(r, '$.eventTime') AS TIMESTAMP) >= TIMESTAMP '2026-01-09 12:00:00'
          GROUP BY 1`,
    columns: ['eventName', 'count'],
    reference: countBy(['eventName'], (ev) => epoch(ev.eventTime) >= GENERATE_END_EPOCH - 86400),
  },
  {
    name: 'aws: MFA core',
    about: 'seed MFA detection core over the tree',
    spl: 'userIdentity.sessionContext.attributes.mfaAuthenticated=false | stats count by userIdentity.arn',
    sql: `SELECT json_extract_string(r, '$.userIdentity.arn') AS "userIdentity.arn", count(*) AS "count"
          FROM {records}
          WHERE lower(json_extract_string(r, '$.userIdentity.sessionContext.attributes.mfaAuthenticated')) = 'false'
            AND json_extract_string(r, '$.userIdentity.arn') IS NOT NULL
          GROUP BY 1`,
    columns: ['userIdentity.arn', 'count'],
    reference: countBy(['userIdentity.arn'], (ev) => lower(get(ev, 'userIdentity.sessionContext.attributes.mfaAuthenticated')) === 'false'),
  },
];
