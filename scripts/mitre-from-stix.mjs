#!/usr/bin/env node
// Converts MITRE's ATT&CK Enterprise STIX 2.x bundle (enterprise-attack.json, from the
// mitre-attack/attack-stix-data repository) into Trailguard's technique table,
// data/mitre/enterprise-attack.yml (format described in that file's header).
//
//   node scripts/mitre-from-stix.mjs enterprise-attack.json                 # YAML on stdout
//   node scripts/mitre-from-stix.mjs enterprise-attack.json --out data/mitre/enterprise-attack.yml
//
// What it reads from the bundle:
// - x-mitre-tactic objects: TA id (external_references, source_name "mitre-attack"), display name,
//   x_mitre_shortname (the phase_name techniques refer to). The x-mitre-matrix's tactic_refs give
//   the kill-chain order; without a matrix the order is Enterprise's fixed one.
// - attack-pattern objects: T id, name, kill_chain_phases (kill_chain_name "mitre-attack") →
//   tactics, x_mitre_platforms. Revoked or x_mitre_deprecated objects are skipped.
//   A sub-technique (Tnnnn.nnn) is named "Parent: Sub" after its parent technique.
// - the x-mitre-collection object's x_mitre_version, written as attack_version.
//
// Exit codes: 0 written, 2 bad arguments or an unreadable/unusable bundle (message on stderr).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Enterprise's kill-chain order by STIX shortname, used when the bundle has no matrix object. */
const DEFAULT_ORDER = [
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
];

export class StixError extends Error {}

function mitreId(obj) {
  const ref = (obj.external_references ?? []).find((r) => r && r.source_name === 'mitre-attack');
  return typeof ref?.external_id === 'string' ? ref.external_id : undefined;
}

function live(obj) {
  return obj.revoked !== true && obj.x_mitre_deprecated !== true;
}

/**
 * Builds the table from a parsed bundle: `{ attackVersion, tactics: [{id, name, shortname}],
 * techniques: [{id, name, tactics, platforms}] }`, tactics in kill-chain order, techniques by id.
 * `warn` receives messages about objects that were dropped.
 */
export function convertBundle(bundle, warn = () => {}) {
  if (bundle === null || typeof bundle !== 'object' || !Array.isArray(bundle.objects)) {
    throw new StixError('not a STIX bundle: expected a JSON object with an "objects" array');
  }
  const objects = bundle.objects.filter((o) => o && typeof o === 'object');

  // Tactics, keyed by STIX id and by shortname.
  const tacticByStixId = new Map();
  const tacticByShort = new Map();
  for (const o of objects) {
    if (o.type !== 'x-mitre-tactic' || !live(o)) continue;
    const id = mitreId(o);
    if (!id || typeof o.name !== 'string' || typeof o.x_mitre_shortname !== 'string') {
      warn(`tactic ${o.id ?? '?'} has no mitre-attack id, name or shortname; skipped`);
      continue;
    }
    const t = { id, name: o.name, shortname: o.x_mitre_shortname };
    tacticByStixId.set(o.id, t);
    tacticByShort.set(t.shortname, t);
  }
  if (tacticByShort.size === 0) throw new StixError('the bundle has no x-mitre-tactic objects');

  let ordered;
  const matrix = objects.find((o) => o.type === 'x-mitre-matrix' && live(o) && Array.isArray(o.tactic_refs));
  if (matrix) {
    ordered = matrix.tactic_refs.map((ref) => tacticByStixId.get(ref)).filter((t) => t !== undefined);
  } else {
    ordered = DEFAULT_ORDER.map((s) => tacticByShort.get(s)).filter((t) => t !== undefined);
  }
  // Tactics the matrix (or the default order) does not place go last, by TA id.
  const placed = new Set(ordered);
  ordered.push(...[...tacticByShort.values()].filter((t) => !placed.has(t)).sort((a, b) => (a.id < b.id ? -1 : 1)));
  const rank = new Map(ordered.map((t, i) => [t.shortname, i]));

  // Techniques, by T id. Should the bundle hold two live objects with one id, the newer wins.
  const byId = new Map();
  for (const o of objects) {
    if (o.type !== 'attack-pattern' || !live(o)) continue;
    const id = mitreId(o);
    if (!id || !/^T\d{4}(\.\d{3})?$/.test(id) || typeof o.name !== 'string') {
      warn(`attack-pattern ${o.id ?? '?'} has no usable mitre-attack id or name; skipped`);
      continue;
    }
    const shorts = (o.kill_chain_phases ?? []).filter((p) => p && p.kill_chain_name === 'mitre-attack').map((p) => p.phase_name);
    const unknown = shorts.filter((s) => !rank.has(s));
    if (unknown.length > 0) throw new StixError(`${id} refers to unknown tactic(s) ${unknown.join(', ')}`);
    if (shorts.length === 0) {
      warn(`${id} has no mitre-attack kill-chain phase; skipped`);
      continue;
    }
    const tactics = [...new Set(shorts)].sort((a, b) => rank.get(a) - rank.get(b)).map((s) => tacticByShort.get(s).name);
    const platforms = Array.isArray(o.x_mitre_platforms) ? o.x_mitre_platforms.filter((p) => typeof p === 'string') : [];
    const entry = { id, ownName: o.name.trim(), tactics, platforms, modified: String(o.modified ?? '') };
    const prior = byId.get(id);
    if (prior) warn(`${id} appears twice; keeping the one modified ${prior.modified > entry.modified ? prior.modified : entry.modified}`);
    if (!prior || entry.modified > prior.modified) byId.set(id, entry);
  }

  const techniques = [];
  for (const e of [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    let name = e.ownName;
    const dot = e.id.indexOf('.');
    if (dot >= 0) {
      const parent = byId.get(e.id.slice(0, dot));
      if (!parent) {
        warn(`${e.id} has no live parent technique ${e.id.slice(0, dot)}; skipped`);
        continue;
      }
      name = `${parent.ownName}: ${e.ownName}`;
    }
    techniques.push({ id: e.id, name, tactics: e.tactics, platforms: e.platforms });
  }

  const collection = objects.find((o) => o.type === 'x-mitre-collection');
  const attackVersion = typeof collection?.x_mitre_version === 'string' ? collection.x_mitre_version : 'unknown';
  return { attackVersion, tactics: ordered, techniques };
}

const q = (s) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar
const list = (xs) => `[${xs.map(q).join(', ')}]`;

/** Renders a table as the YAML of data/mitre/enterprise-attack.yml, under the given header comment lines. */
export function renderTable(table, headerLines, source) {
  const out = headerLines.map((l) => (l === '' ? '#' : `# ${l}`));
  out.push('', `attack_version: ${q(table.attackVersion)}`, `source: ${q(source)}`, '', 'tactics:');
  for (const t of table.tactics) out.push(`  - { id: ${q(t.id)}, name: ${q(t.name)}, shortname: ${q(t.shortname)} }`);
  out.push('', 'techniques:');
  for (const t of table.techniques) {
    const platforms = t.platforms && t.platforms.length > 0 ? `, platforms: ${list(t.platforms)}` : '';
    out.push(`  - { id: ${q(t.id)}, name: ${q(t.name)}, tactics: ${list(t.tactics)}${platforms} }`);
  }
  return out.join('\n') + '\n';
}

/** The header of a generated file: where it came from, and the format (shared with the hand-written file). */
export function stixHeader(bundleFile, attackVersion) {
  return [
    'ATT&CK Enterprise technique table for Trailguard findings.',
    '',
    `Generated by scripts/mitre-from-stix.mjs from ${basename(bundleFile)} (ATT&CK Enterprise v${attackVersion}).`,
    'Do not edit by hand: regenerate it from a newer bundle instead.',
    '',
    ...FORMAT_LINES,
  ];
}

export const FORMAT_LINES = [
  'ATT&CK(R) is a registered trademark of The MITRE Corporation. The technique data is (c) The MITRE',
  'Corporation, reproduced and distributed with the permission of The MITRE Corporation',
  '(ATT&CK Terms of Use).',
  '',
  'Format (src/content/mitre.ts loads and checks it; every entry is one line, so an error names it):',
  '  attack_version  the ATT&CK Enterprise release the table follows',
  '  source          "transcribed" (written by hand) or "stix" (generated from the STIX bundle)',
  '  tactics         the Enterprise tactics in kill-chain order, each { id: TAnnnn, name, shortname };',
  '                  shortname is the phase_name STIX kill_chain_phases use',
  '  techniques      one entry per technique, sorted by id:',
  '    id            Tnnnn, or Tnnnn.nnn for a sub-technique (whose parent Tnnnn must be present)',
  '    name          display name; a sub-technique is "Parent: Sub", e.g. "Valid Accounts: Cloud Accounts"',
  '    tactics       tactic names from `tactics`, in kill-chain order',
  '    platforms     (optional) ATT&CK platform names, e.g. IaaS, SaaS, Office Suite, Identity Provider',
];

function main(argv) {
  const args = argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(
      'usage: node scripts/mitre-from-stix.mjs ENTERPRISE_ATTACK_JSON [--out FILE]\n\n' +
        "Converts MITRE's enterprise-attack.json STIX bundle into Trailguard's technique table.\n" +
        'Example: node scripts/mitre-from-stix.mjs enterprise-attack.json --out data/mitre/enterprise-attack.yml\n',
    );
    return 0;
  }
  let out;
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') {
      out = args[++i];
      if (!out) return usage('--out needs a file name');
    } else if (args[i].startsWith('-')) {
      return usage(`unknown option ${args[i]}`);
    } else rest.push(args[i]);
  }
  if (rest.length !== 1) return usage('give exactly one enterprise-attack.json file');
  const file = rest[0];

  let bundle;
  try {
    bundle = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    process.stderr.write(`mitre-from-stix: ${file}: ${e.code === 'ENOENT' ? 'no such file' : `cannot read it as JSON (${e.message})`}\n`);
    process.stderr.write('  hint: download enterprise-attack.json from the mitre-attack/attack-stix-data repository\n');
    return 2;
  }
  let table;
  try {
    table = convertBundle(bundle, (m) => process.stderr.write(`mitre-from-stix: warning: ${m}\n`));
  } catch (e) {
    if (!(e instanceof StixError)) throw e;
    process.stderr.write(`mitre-from-stix: ${file}: ${e.message}\n`);
    return 2;
  }
  const yaml = renderTable(table, stixHeader(file, table.attackVersion), 'stix');
  if (out === undefined) {
    process.stdout.write(yaml);
  } else {
    // Atomic: a half-written table would break every finding.
    const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
    writeFileSync(tmp, yaml);
    renameSync(tmp, out);
    const subs = table.techniques.filter((t) => t.id.includes('.')).length;
    process.stderr.write(`mitre-from-stix: wrote ${out}: ${table.techniques.length - subs} techniques, ${subs} sub-techniques, ${table.tactics.length} tactics\n`);
  }
  return 0;
}

function usage(message) {
  process.stderr.write(`mitre-from-stix: ${message}\nusage: node scripts/mitre-from-stix.mjs ENTERPRISE_ATTACK_JSON [--out FILE]\n`);
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv);
}
