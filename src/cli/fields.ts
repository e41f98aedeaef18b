/**
 * `trailguard fields <event-file>`: every SPL field of one CloudTrail event, the rule that made it,
 * and the event's data model membership — the field model made visible (SPL.md §9, §12).
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { TrailguardError } from '../errors.js';
import { displayText, toJsonValue, type Value } from '../eval/value.js';
import { openSources } from '../sources/index.js';
import type { RawEvent, SourceIssue } from '../sources/types.js';
import {
  dataModelMembership,
  dataModelNames,
  eventRow,
  explainFields,
  loadFieldModel,
  EventFieldSource,
} from '../cloudtrail/index.js';
import { EXIT, useColour } from './output.js';
import { addReadFlags, readOptionsFrom, type ReadFlags } from './read-flags.js';

interface FieldsOptions extends ReadFlags {
  index: string;
  format: string;
}

/**
 * The Nth event (1-based) of a file, read by the same readers as `search` (Records files, NDJSON,
 * arrays, EventBridge envelopes, gzip). Reading stops at that event; bad records before it are
 * returned as issues, not fatal.
 */
async function nthEvent(file: string, n: number, readOpts: { maxRecordBytes?: number; strict?: boolean } = {}): Promise<{ event: RawEvent | undefined; read: number; issues: SourceIssue[] }> {
  if (!existsSync(file)) {
    throw new TrailguardError({
      code: 'input-unreadable',
      phase: 'input',
      reason: `cannot read ${file}: no such file`,
      location: { file },
      hints: ['check the path; pass one CloudTrail file (.json, .json.gz or NDJSON)'],
    });
  }
  const issues: SourceIssue[] = [];
  let read = 0;
  for await (const batch of openSources([file], { ...readOpts, keepUntimed: true, onIssue: (i) => { if (issues.length < 1000) issues.push(i); } }).batches()) {
    if (read + batch.length >= n) return { event: batch[n - 1 - read], read: read + batch.length, issues };
    read += batch.length;
  }
  return { event: undefined, read, issues };
}

/** One-line rendering: multivalues as ["a", "b"] (n values), "" for the empty string, long text cut. */
function shown(v: Value, maxLen: number): string {
  const cut = (s: string, suffix: string) => (s.length > maxLen ? `${s.slice(0, maxLen - 1)}…${suffix}` : s);
  if (Array.isArray(v)) return cut(`[${v.map((x) => JSON.stringify(displayText(x))).join(', ')}]`, ']') + `  (${v.length} values)`;
  const s = displayText(v);
  if (s === '') return '""';
  return s.length > maxLen ? `${s.slice(0, maxLen - 1)}… (${s.length} chars)` : s;
}

export async function runFields(file: string, opts: FieldsOptions): Promise<number> {
  const n = Number(opts.index);
  if (!Number.isInteger(n) || n < 1) {
    throw new TrailguardError({
      code: 'usage-bad-index',
      phase: 'usage',
      reason: `--index must be a positive whole number (1 = first event), got ${opts.index}`,
      hints: ['example: trailguard fields events.json --index 3'],
    });
  }
  if (opts.format !== 'table' && opts.format !== 'json') {
    throw new TrailguardError({ code: 'usage-bad-format', phase: 'usage', reason: `--format must be table or json, got ${opts.format}` });
  }
  const { event: ev, read, issues } = await nthEvent(file, n, readOptionsFrom(opts));
  for (const i of issues.filter((x) => x.kind !== 'no-time')) process.stderr.write(`warning: ${i.file}${i.line !== undefined ? `:${i.line}` : ''}: skipped a record (${i.kind}): ${i.message}\n`);
  if (!ev) {
    throw new TrailguardError({
      code: 'usage-index-out-of-range',
      phase: 'usage',
      reason: `${file} has ${read} readable event(s); there is no event ${n}`,
      location: { file },
      hints: [read > 0 ? `use --index between 1 and ${read}` : 'the file holds no events'],
    });
  }
  const model = loadFieldModel();
  const fields = explainFields(ev, model);
  const row = eventRow(ev, model);
  const src = new EventFieldSource(ev, model);
  const { eventtype, tag } = src.eventTypes();
  // Trailguard's own decisions that shaped this event's fields (SPL.md §12 asks to show them).
  const notes: Array<{ about: string; note: string }> = [];
  for (const f of fields) if (f.note) notes.push({ about: `${f.field} (${f.rule})`, note: f.note });
  for (const t of model.eventtypes) if (t.note && eventtype.includes(t.name)) notes.push({ about: `eventtype ${t.name}`, note: t.note });
  const membership = Object.fromEntries(dataModelNames(model).map((dm) => [dm, dataModelMembership(row, dm, model)]));

  if (opts.format === 'json') {
    const doc = {
      fieldModel: { version: model.version, basedOn: model.basedOn },
      event: { source: ev.source, index: n, line: ev.line },
      fields: fields.map((f) => ({ field: f.field, value: toJsonValue(f.value), rule: f.rule, ...(f.spec ? { spec: f.spec } : {}) })),
      eventtypes: eventtype,
      tags: tag,
      datamodels: membership,
      notes,
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return EXIT.ok;
  }

  const colour = useColour(process.stdout);
  const dim = (s: string) => (colour ? pc.dim(s) : s);
  const bold = (s: string) => (colour ? pc.bold(s) : s);
  const nameWidth = Math.min(48, Math.max(5, ...fields.map((f) => f.field.length)));
  const values = fields.map((f) => shown(f.value, 80));
  const valueWidth = Math.min(70, Math.max(5, ...values.map((v) => v.length)));
  const out: string[] = [];
  out.push(`field model ${model.version} (${model.basedOn})`);
  out.push(`event ${n} in ${ev.source}${ev.line > 1 ? ` (line ${ev.line})` : ''}`);
  out.push('');
  out.push(bold(`${'FIELD'.padEnd(nameWidth)}  ${'VALUE'.padEnd(valueWidth)}  RULE`));
  fields.forEach((f, i) => {
    out.push(`${f.field.padEnd(nameWidth)}  ${values[i]!.padEnd(valueWidth)}  ${f.rule}${f.spec ? dim(`  (${f.spec})`) : ''}`);
  });
  out.push('');
  out.push(`eventtypes: ${eventtype.length ? eventtype.join(', ') : '(none)'}`);
  out.push(`tags:       ${tag.length ? tag.join(', ') : '(none)'}`);
  out.push('data models:');
  for (const [dm, sets] of Object.entries(membership)) {
    out.push(`  ${dm}: ${sets.length ? sets.join(', ') : '(not a member)'}`);
  }
  if (notes.length > 0) {
    out.push('');
    out.push('Trailguard decisions (where it reads SPL.md or differs from the add-on):');
    for (const n of notes) out.push(`  ${n.about}: ${n.note}`);
  }
  out.push('');
  out.push(dim('multivalue fields are shown as ["a", "b"]; rule json = extracted from the event, alias/eval/lookup:<id> = data/fieldmodel rule'));
  process.stdout.write(out.join('\n') + '\n');
  return EXIT.ok;
}

export function register(program: Command): void {
  program
    .command('fields')
    .description('Show every SPL field of one CloudTrail event, the rule that produced it, and its data model membership')
    .argument('<event-file>', 'a CloudTrail file: {"Records":[…]}, a JSON array or object, or NDJSON (gzip ok)')
    .option('--index <n>', 'which event of the file (1 = first)', '1')
    .option('--format <format>', 'table or json', 'table');
  addReadFlags(program.commands[program.commands.length - 1]!)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  trailguard fields 123_CloudTrail_us-east-1_20230710T1145Z_x.json --index 3\n' +
        '  trailguard fields events.ndjson --format json | jq \'.fields[] | select(.rule|startswith("eval"))\'\n',
    )
    .action(async (file: string, opts: FieldsOptions) => {
      process.exitCode = await runFields(file, opts);
    });
}
