#!/usr/bin/env node
// Regenerates the datasets of Trailguard's content tests, content/datasets/*.ndjson (see
// content/datasets/README.md for what each holds and which tests use it).
//
//   npm run build && node scripts/make-test-datasets.mjs            # writes content/datasets/
//   node scripts/make-test-datasets.mjs --out /tmp/datasets          # somewhere else
//
// - generated_*.ndjson: picked from `trailguard generate` output with a fixed seed and end
//   (SEED, END below; 4000 events over 9 days): the history anchor (the first successful write
//   by a role) and the injected scenarios' events, by the eventIDs of the generator's truth file.
// - invictus_*.ndjson: real events copied unaltered (one JSON object per line, in file order)
//   from samples/invictus-ir/events.ndjson.gz, itself invictus-ir/aws_dataset @
//   4667aa9c26330bc3317ed8bd526f4b83cff13602 (MIT).
// Same inputs, same bytes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const SEED = 'trailguard-datasets';
const END = '2026-11-20T12:00:00Z';

const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const OUT = outIdx >= 0 ? args[outIdx + 1] : join(ROOT, 'content', 'datasets');
if (outIdx >= 0 && !OUT) {
  console.error('make-test-datasets: --out needs a directory');
  process.exit(2);
}

let generate;
try {
  ({ generate } = await import(join(ROOT, 'dist', 'src', 'generate', 'index.js')));
} catch {
  console.error('make-test-datasets: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

const lines = (text) => text.split('\n').filter((l) => l.length > 0);

// --- generated ---------------------------------------------------------------------------------
const tmp = mkdtempSync(join(tmpdir(), 'tg-datasets-'));
const summary = await generate({ events: 4000, seed: SEED, days: 9, end: Date.parse(END), out: join(tmp, 'ct.ndjson'), force: true });
const generated = lines(readFileSync(summary.dataPath, 'utf8'));
const records = generated.map((l) => JSON.parse(l));
const truth = JSON.parse(readFileSync(summary.truthPath, 'utf8'));
rmSync(tmp, { recursive: true, force: true });

const scenario = (id) => {
  const s = truth.scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`make-test-datasets: the generator's truth has no scenario ${id}`);
  return s;
};
const roleOf = (r) => (r.userIdentity?.type === 'AssumedRole' ? r.userIdentity.sessionContext.sessionIssuer.userName : null);
// The routine call of scenario (c) repeats the history anchor's (role, command) pair; the anchor
// is that pair's first successful call.
const routine = scenario('unseen-role-command').events.find((e) => !e.matches);
const anchor = records.find((r) => roleOf(r) === routine.userName && r.eventName === routine.eventName && !('errorCode' in r));
const ids = (...lists) => new Set(lists.flat());
const eventIds = (id, pred = () => true) => scenario(id).events.filter(pred).map((e) => e.eventID);
const pick = (wanted) => generated.filter((_, i) => wanted.has(records[i].eventID));

const files = {
  'generated_unseen_role_commands.ndjson': pick(ids([anchor.eventID], eventIds('unseen-role-command'))),
  'generated_command_known_from_another_role.ndjson': pick(ids([anchor.eventID, routine.eventID], eventIds('known-command-new-role'))),
  'generated_known_role_activity.ndjson': pick(ids([anchor.eventID, routine.eventID])),
  'generated_console_session_without_mfa.ndjson': pick(ids(eventIds('api-activity-without-mfa'))),
  'generated_role_session_creates_access_key.ndjson': pick(ids(eventIds('role-session-without-mfa-creates-access-key'))),
};

// --- real (invictus-ir) --------------------------------------------------------------------------
const real = lines(gunzipSync(readFileSync(join(ROOT, 'samples', 'invictus-ir', 'events.ndjson.gz'))).toString('utf8'));
/** Events matching `pred`, at most `limitOf(event)` per `keyOf(event)`, in file order. */
const firstPer = (pred, keyOf, limitOf) => {
  const seen = new Map();
  return real.filter((l) => {
    const e = JSON.parse(l);
    if (!pred(e)) return false;
    const k = keyOf(e);
    seen.set(k, (seen.get(k) ?? 0) + 1);
    return seen.get(k) <= limitOf(e);
  });
};
const mfaFalse = (e) => e.userIdentity?.sessionContext?.attributes?.mfaAuthenticated === 'false';
// Stratus Red Team role sessions without MFA, calls for which the add-on's `user` is null (not
// DescribeInstances, PutInventory, …, which name the role): the seed drops them, the per-ARN
// variant reports each session.
const ROLE_CALLS = new Set(['GetPasswordData', 'DescribeInstanceAttribute', 'LeaveOrganization', 'GetCallerIdentity', 'GetDocument', 'ListInstanceAssociations', 'UpdateInstanceInformation', 'UpdateInstanceAssociationStatus']);
files['invictus_role_sessions_without_mfa.ndjson'] = firstPer(
  (e) => e.userIdentity?.type === 'AssumedRole' && mfaFalse(e) && !('invokedBy' in e.userIdentity) && ROLE_CALLS.has(e.eventName) && e.userIdentity.arn.includes('stratus-red-team'),
  (e) => `${e.userIdentity.arn} ${e.eventName}`,
  (e) => (e.eventName === 'GetPasswordData' || e.eventName === 'DescribeInstanceAttribute' ? 3 : 1),
);
// KMS calls AWS made on bert-jan's behalf (userIdentity.invokedBy) in an MFA-less session.
files['invictus_kms_on_behalf_of_user.ndjson'] = firstPer(
  (e) => e.userIdentity?.userName === 'bert-jan' && mfaFalse(e) && typeof e.userIdentity.invokedBy === 'string',
  (e) => `${e.userIdentity.invokedBy} ${e.eventName}`,
  () => 2,
);

mkdirSync(OUT, { recursive: true });
for (const [name, list] of Object.entries(files)) {
  if (list.length === 0) throw new Error(`make-test-datasets: ${name} would be empty`);
  writeFileSync(join(OUT, name), list.join('\n') + '\n');
  console.log(`${name}: ${list.length} events, ${Buffer.byteLength(list.join('\n') + '\n')} bytes`);
}
