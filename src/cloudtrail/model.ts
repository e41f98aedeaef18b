/**
 * Loads and validates the field model (data/fieldmodel/cloudtrail.yml) and the CIM data models
 * (data/datamodels/*.yml). A malformed file is a TrailguardError (phase 'content') naming the file
 * and every problem found, so a typo in a rule fails at start-up, not in the middle of a search.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TrailguardError } from '../errors.js';
import { packagePath } from '../util/paths.js';
import { parsedYaml } from '../util/parsed-yaml.js';
import { yamlPackage } from '../util/yaml.js';
import type { Cond, Expr } from './rules.js';
import { checkCond, checkExpr } from './rules.js';

export interface AliasRule {
  id: string;
  field: string;
  /** Paths tried in order; the first present one wins. */
  from: string[];
}

export interface EvalRule {
  id: string;
  field: string;
  /** The SPL.md rule it implements (for `trailguard fields` and test titles). */
  rule: string;
  /** Where Trailguard reads SPL.md one way or differs from the add-on (§12); shown by `trailguard fields`. */
  note?: string;
  expr: Expr;
}

export interface EventTypeRule {
  name: string;
  rule: string;
  when: Cond;
  tags: string[];
  note?: string;
}

export interface DataModelField {
  name: string;
  from: string[];
  /** Calculated CIM field: this value replaces null and "". Undefined: copied as is. */
  default?: string;
}

export interface Dataset {
  name: string;
  /** Prefix of its fields: `All_Changes` or `All_Changes.Instance_Changes`. */
  path: string;
  rule: string;
  constraint: Cond;
  fields: DataModelField[];
  children: Dataset[];
}

export interface DataModel {
  name: string;
  version: string;
  basedOn: string;
  root: Dataset;
  file: string;
}

export interface FieldModel {
  version: string;
  basedOn: string;
  sourcetype: string;
  index: string;
  host: string;
  file: string;
  tables: Record<string, Record<string, string>>;
  sets: Record<string, string[]>;
  aliases: AliasRule[];
  evals: EvalRule[];
  lookups: EvalRule[];
  eventtypes: EventTypeRule[];
  /** Keyed by model name (`Change`, `Authentication`). */
  datamodels: Map<string, DataModel>;
  /** field → rule, per stage, for O(1) resolution. */
  aliasByField: Map<string, AliasRule>;
  evalByField: Map<string, EvalRule>;
  lookupByField: Map<string, EvalRule>;
}

type Obj = Record<string, unknown>;

function contentError(file: string, problems: string[]): TrailguardError {
  return new TrailguardError({
    code: 'field-model-invalid',
    phase: 'content',
    reason: `invalid field model file: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`,
    location: { file },
    hints: ['fix the rule named above; the rule language is described at the top of src/cloudtrail/rules.ts'],
  });
}

/**
 * Parsed model files by path. Scan workers are handed the main thread's (plain data, cheap to
 * clone) so each does not parse the same YAML again (see engine/parallel).
 */
const parsedFiles = new Map<string, Obj>();

/** The model files parsed so far, as plain data (for primeModelFiles in another thread). */
export function parsedModelFiles(): Record<string, unknown> {
  return Object.fromEntries(parsedFiles);
}

/** Makes readYaml return these already-parsed documents instead of reading their files. */
export function primeModelFiles(docs: Record<string, unknown>): void {
  for (const [file, doc] of Object.entries(docs)) parsedFiles.set(file, doc as Obj);
}

function readYaml(file: string): Obj {
  const known = parsedFiles.get(file);
  if (known !== undefined) return known;
  const doc = parseYamlFile(file);
  parsedFiles.set(file, doc);
  return doc;
}

function parseYamlFile(file: string): Obj {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TrailguardError({
      code: 'field-model-missing',
      phase: 'content',
      reason: `cannot read ${file}: ${(err as Error).message}`,
      location: { file },
      hints: ['reinstall Trailguard, or pass the path of an existing field model file'],
    });
  }
  const built = parsedYaml(file, text, 'data');
  if (built !== undefined) return built.value as Obj;
  try {
    const doc = yamlPackage().parse(text, { maxAliasCount: -1 }) as unknown;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the top level is not a mapping');
    return doc as Obj;
  } catch (err) {
    throw contentError(file, [(err as Error).message]);
  }
}

function text(o: Obj, key: string, problems: string[], where: string): string {
  const v = o[key];
  if (typeof v === 'string' && v.length > 0) return v;
  problems.push(`${where}: missing ${key}`);
  return '';
}

function stringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

function list(o: Obj, key: string): Obj[] {
  const v = o[key];
  return Array.isArray(v) ? (v as Obj[]) : [];
}

let cached: FieldModel | undefined;

/** The default model (cached) or the one at `file`. Data models load from `datamodelDir`. */
export function loadFieldModel(file?: string, datamodelDir?: string): FieldModel {
  if (file === undefined && datamodelDir === undefined && cached) return cached;
  const path = file ?? packagePath('data', 'fieldmodel', 'cloudtrail.yml');
  const doc = readYaml(path);
  const problems: string[] = [];

  const tables: Record<string, Record<string, string>> = {};
  for (const [name, t] of Object.entries((doc.tables as Obj) ?? {})) {
    if (t === null || typeof t !== 'object') {
      problems.push(`tables.${name}: expected a mapping`);
      continue;
    }
    tables[name] = Object.fromEntries(Object.entries(t as Obj).map(([k, v]) => [k, String(v)]));
  }
  const sets: Record<string, string[]> = {};
  for (const [name, s] of Object.entries((doc.sets as Obj) ?? {})) sets[name] = stringList(s);
  const env = { tables, sets };

  const ids = new Set<string>();
  const checkId = (id: string, where: string) => {
    if (ids.has(id)) problems.push(`${where}: duplicate id ${id}`);
    ids.add(id);
  };

  const aliases: AliasRule[] = list(doc, 'aliases').map((a, i) => {
    const where = `aliases[${i}]`;
    const r: AliasRule = { id: text(a, 'id', problems, where), field: text(a, 'field', problems, where), from: stringList(a.from) };
    if (r.from.length === 0) problems.push(`${where}: missing from`);
    checkId(`alias:${r.id}`, where);
    return r;
  });

  const rules = (key: 'evals' | 'lookups', prefix: string): EvalRule[] =>
    list(doc, key).map((e, i) => {
      const where = `${key}[${i}]${typeof e.id === 'string' ? ` (${e.id})` : ''}`;
      const r: EvalRule = {
        id: text(e, 'id', problems, where),
        field: text(e, 'field', problems, where),
        rule: typeof e.rule === 'string' ? e.rule : '',
        expr: e.expr as Expr,
      };
      if (typeof e.note === 'string') r.note = e.note;
      problems.push(...checkExpr(e.expr, `${where}.expr`, env));
      checkId(`${prefix}:${r.id}`, where);
      return r;
    });
  const evals = rules('evals', 'eval');
  const lookups = rules('lookups', 'lookup');

  const eventtypes: EventTypeRule[] = list(doc, 'eventtypes').map((t, i) => {
    const where = `eventtypes[${i}]`;
    const r: EventTypeRule = {
      name: text(t, 'name', problems, where),
      rule: typeof t.rule === 'string' ? t.rule : '',
      when: t.when as Cond,
      tags: stringList(t.tags),
    };
    if (typeof t.note === 'string') r.note = t.note;
    problems.push(...checkCond(t.when, `${where}.when`, env));
    return r;
  });

  const byField = <R extends { field: string }>(rs: R[], stage: string): Map<string, R> => {
    const m = new Map<string, R>();
    for (const r of rs) {
      if (m.has(r.field)) problems.push(`${stage}: two rules write ${r.field}`);
      m.set(r.field, r);
    }
    return m;
  };

  const model: FieldModel = {
    version: text(doc, 'version', problems, 'top level'),
    basedOn: typeof doc.based_on === 'string' ? doc.based_on : '',
    sourcetype: typeof doc.sourcetype === 'string' ? doc.sourcetype : 'aws:cloudtrail',
    index: typeof doc.index === 'string' ? doc.index : 'main',
    host: typeof doc.host === 'string' ? doc.host : 'trailguard',
    file: path,
    tables,
    sets,
    aliases,
    evals,
    lookups,
    eventtypes,
    datamodels: new Map(),
    aliasByField: byField(aliases, 'aliases'),
    evalByField: byField(evals, 'evals'),
    lookupByField: byField(lookups, 'lookups'),
  };
  if (problems.length > 0) throw contentError(path, problems);

  const dir = datamodelDir ?? packagePath('data', 'datamodels');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yml')).sort()) {
    const dm = loadDataModel(join(dir, f), env);
    model.datamodels.set(dm.name, dm);
  }
  if (file === undefined && datamodelDir === undefined) cached = model;
  return model;
}

function loadDataset(o: Obj, parentPath: string, where: string, env: { tables: Record<string, Record<string, string>>; sets: Record<string, string[]> }, problems: string[]): Dataset {
  const name = text(o, 'name', problems, where);
  const path = parentPath === '' ? name : `${parentPath}.${name}`;
  problems.push(...checkCond(o.constraint, `${where}.constraint`, env));
  const fields: DataModelField[] = list(o, 'fields').map((f, i) => {
    const fname = text(f, 'name', problems, `${where}.fields[${i}]`);
    const from = stringList(f.from);
    return { name: fname, from: from.length > 0 ? from : [fname], default: f.default === undefined ? undefined : String(f.default) };
  });
  const children = list(o, 'children').map((c, i) => loadDataset(c, path, `${where}.children[${i}]`, env, problems));
  return { name, path, rule: typeof o.rule === 'string' ? o.rule : '', constraint: o.constraint as Cond, fields, children };
}

function loadDataModel(file: string, env: { tables: Record<string, Record<string, string>>; sets: Record<string, string[]> }): DataModel {
  const doc = readYaml(file);
  const problems: string[] = [];
  const rootObj = doc.root;
  if (rootObj === null || typeof rootObj !== 'object') throw contentError(file, ['missing root dataset']);
  const dm: DataModel = {
    name: text(doc, 'name', problems, 'top level'),
    version: text(doc, 'version', problems, 'top level'),
    basedOn: typeof doc.based_on === 'string' ? doc.based_on : '',
    root: loadDataset(rootObj as Obj, '', 'root', env, problems),
    file,
  };
  if (problems.length > 0) throw contentError(file, problems);
  return dm;
}
