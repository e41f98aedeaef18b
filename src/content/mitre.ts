/**
 * The ATT&CK Enterprise technique table (data/mitre/enterprise-attack.yml): for a detection's
 * `mitre_attack_id`s, the technique's name and tactics, so findings can say what an id means.
 * The file's header says where the table came from and describes its format; the table is loaded
 * and checked once, on first use.
 */
import { readFileSync } from 'node:fs';
import type { Node } from 'yaml';
import { TrailguardError } from '../errors.js';
import { parsedYaml } from '../util/parsed-yaml.js';
import { packagePath } from '../util/paths.js';
import { yamlPackage } from '../util/yaml.js';

export interface TechniqueInfo {
  /** Canonical id, e.g. `T1078.004`. */
  id: string;
  /** Display name; a sub-technique's is "Parent: Sub", e.g. "Valid Accounts: Cloud Accounts". */
  name: string;
  /** Tactic display names in kill-chain order. */
  tactics: string[];
}

export interface TacticInfo {
  /** `TA0001` … */
  id: string;
  /** Display name, e.g. `Initial Access`. */
  name: string;
  /** STIX phase name, e.g. `initial-access`. */
  shortname: string;
}

export interface MitreTable {
  file: string;
  attackVersion: string;
  source: string;
  /** In kill-chain order. */
  tactics: TacticInfo[];
  techniques: Map<string, TechniqueInfo & { platforms: string[] }>;
}

/** How a finding shows one of its detection's ATT&CK ids: `name` null and no tactics when the table does not know the id. */
export interface FindingTechnique {
  id: string;
  name: string | null;
  tactics: string[];
}

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
const TACTIC_ID = /^TA\d{4}$/;
const TECHNIQUE_KEYS = new Set(['id', 'name', 'tactics', 'platforms']);
const TACTIC_KEYS = new Set(['id', 'name', 'shortname']);

export function defaultMitreFile(): string {
  return packagePath('data', 'mitre', 'enterprise-attack.yml');
}

function tableError(file: string, reason: string, line?: number): TrailguardError {
  return new TrailguardError({
    code: 'mitre-table-invalid',
    phase: 'content',
    reason,
    location: { file, line },
    hints: ['fix the entry (the format is described at the top of the file), or regenerate the file with scripts/mitre-from-stix.mjs'],
  });
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

function stringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every(nonEmptyString);
}

/** A checked table as plain data (what the build caches in dist/parsed-yaml.json). */
export interface MitreTableJson {
  attackVersion: string;
  source: string;
  tactics: TacticInfo[];
  techniques: Array<[string, TechniqueInfo & { platforms: string[] }]>;
}

export function mitreTableJson(t: MitreTable): MitreTableJson {
  return { attackVersion: t.attackVersion, source: t.source, tactics: t.tactics, techniques: [...t.techniques] };
}

/**
 * Reads and checks a technique table file. Throws a TrailguardError naming the file and line of
 * the first bad entry. The shipped file's checked table comes from the build (util/parsed-yaml)
 * while its text is unchanged.
 */
export function loadMitreTable(file: string): MitreTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw tableError(file, `cannot read the ATT&CK technique table: ${(e as Error).message}`);
  }
  const built = parsedYaml(file, text, 'mitre');
  if (built !== undefined) {
    const t = built.value as MitreTableJson;
    return { file, attackVersion: t.attackVersion, source: t.source, tactics: t.tactics, techniques: new Map(t.techniques) };
  }
  return checkMitreText(file, text);
}

function checkMitreText(file: string, text: string): MitreTable {
  const { isMap, isSeq, LineCounter, parseDocument } = yamlPackage();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw tableError(file, `invalid YAML: ${e.message.split('\n')[0]}`, e.linePos?.[0]?.line);
  }
  const lineOf = (node: unknown): number | undefined => {
    const range = (node as Node | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  if (!isMap(doc.contents)) throw tableError(file, 'expected a YAML mapping with `tactics` and `techniques`', 1);
  const top = doc.contents;
  const attackVersion = top.get('attack_version');
  const source = top.get('source');
  if (!nonEmptyString(attackVersion) && typeof attackVersion !== 'number') {
    throw tableError(file, 'missing `attack_version` (the ATT&CK release the table follows)', 1);
  }

  const tacticsNode = top.get('tactics', true);
  if (!isSeq(tacticsNode) || tacticsNode.items.length === 0) {
    throw tableError(file, '`tactics` must be a non-empty list', lineOf(tacticsNode) ?? 1);
  }
  const tactics: TacticInfo[] = [];
  const tacticByName = new Map<string, number>();
  for (const item of tacticsNode.items) {
    const line = lineOf(item);
    const t = (item as Node).toJSON() as Record<string, unknown> | null;
    if (t === null || typeof t !== 'object' || Array.isArray(t)) throw tableError(file, 'a tactic must be a mapping { id, name, shortname }', line);
    const extra = Object.keys(t).filter((k) => !TACTIC_KEYS.has(k));
    if (extra.length > 0) throw tableError(file, `tactic has unknown key(s) ${extra.join(', ')}`, line);
    if (!nonEmptyString(t.id) || !TACTIC_ID.test(t.id)) throw tableError(file, `tactic id ${JSON.stringify(t.id)} is not of the form TAnnnn`, line);
    if (!nonEmptyString(t.name) || !nonEmptyString(t.shortname)) throw tableError(file, `tactic ${t.id} needs a name and a shortname`, line);
    if (tacticByName.has(t.name)) throw tableError(file, `tactic "${t.name}" is listed twice`, line);
    tacticByName.set(t.name, tactics.length);
    tactics.push({ id: t.id, name: t.name, shortname: t.shortname });
  }

  const techniquesNode = top.get('techniques', true);
  if (!isSeq(techniquesNode)) throw tableError(file, '`techniques` must be a list', lineOf(techniquesNode) ?? 1);
  const techniques: MitreTable['techniques'] = new Map();
  const subs: Array<{ id: string; name: string; line?: number }> = [];
  for (const item of techniquesNode.items) {
    const line = lineOf(item);
    const t = (item as Node).toJSON() as Record<string, unknown> | null;
    if (t === null || typeof t !== 'object' || Array.isArray(t)) throw tableError(file, 'a technique must be a mapping { id, name, tactics, platforms? }', line);
    const extra = Object.keys(t).filter((k) => !TECHNIQUE_KEYS.has(k));
    if (extra.length > 0) throw tableError(file, `technique has unknown key(s) ${extra.join(', ')} (allowed: id, name, tactics, platforms)`, line);
    if (!nonEmptyString(t.id) || !TECHNIQUE_ID.test(t.id)) throw tableError(file, `technique id ${JSON.stringify(t.id)} is not of the form Tnnnn or Tnnnn.nnn`, line);
    const id = t.id;
    if (techniques.has(id)) throw tableError(file, `technique ${id} is listed twice`, line);
    if (!nonEmptyString(t.name)) throw tableError(file, `technique ${id} has no name`, line);
    if (!stringList(t.tactics) || t.tactics.length === 0) throw tableError(file, `technique ${id} needs a non-empty list of tactics`, line);
    const unknown = t.tactics.filter((n) => !tacticByName.has(n));
    if (unknown.length > 0) {
      throw tableError(file, `technique ${id} names unknown tactic(s) ${unknown.map((n) => `"${n}"`).join(', ')} (known: ${[...tacticByName.keys()].join(', ')})`, line);
    }
    if (t.platforms !== undefined && !stringList(t.platforms)) throw tableError(file, `technique ${id}: platforms must be a list of names`, line);
    const ordered = [...new Set(t.tactics)].sort((a, b) => tacticByName.get(a)! - tacticByName.get(b)!);
    techniques.set(id, { id, name: t.name.trim(), tactics: ordered, platforms: t.platforms ?? [] });
    if (id.includes('.')) subs.push({ id, name: t.name.trim(), line });
  }
  // A sub-technique is shown as "Parent: Sub", so its parent must be in the table under that name.
  for (const s of subs) {
    const parentId = s.id.slice(0, s.id.indexOf('.'));
    const parent = techniques.get(parentId);
    if (!parent) throw tableError(file, `sub-technique ${s.id} has no parent technique ${parentId} in the table`, s.line);
    if (!s.name.startsWith(`${parent.name}: `) || s.name.length <= parent.name.length + 2) {
      throw tableError(file, `sub-technique ${s.id} must be named "${parent.name}: <sub-technique>" (found "${s.name}")`, s.line);
    }
  }
  return {
    file,
    attackVersion: String(attackVersion),
    source: nonEmptyString(source) ? source : 'unknown',
    tactics,
    techniques,
  };
}

let cached: MitreTable | undefined;

/** The shipped table, loaded on first use. */
export function mitreTable(): MitreTable {
  cached ??= loadMitreTable(defaultMitreFile());
  return cached;
}

/** Normalises a detection's id as written (`t1078.004 ` → `T1078.004`). */
export function normaliseTechniqueId(id: string): string {
  return id.trim().toUpperCase();
}

/** The technique with this id (case-insensitive, surrounding space ignored), or undefined if the table does not know it. */
export function techniqueInfo(id: string, table: MitreTable = mitreTable()): TechniqueInfo | undefined {
  const t = table.techniques.get(normaliseTechniqueId(id));
  return t ? { id: t.id, name: t.name, tactics: [...t.tactics] } : undefined;
}

/** Tactic display names in kill-chain order (Reconnaissance … Impact). */
export function tacticOrder(table: MitreTable = mitreTable()): string[] {
  return table.tactics.map((t) => t.name);
}

/** What a finding prints for its detection's ATT&CK ids, in the detection's order. */
export function findingTechniques(ids: readonly string[], table: MitreTable = mitreTable()): FindingTechnique[] {
  return ids.map((raw) => techniqueInfo(raw, table) ?? { id: normaliseTechniqueId(raw), name: null, tactics: [] });
}
