// Run by `npm run build` after tsc: parses the package's own YAML once and writes
// dist/parsed-yaml/<reader>.json (see src/util/parsed-yaml.ts), so a CLI run need not load the YAML
// parser and parse the field model and content at every start-up. Each entry is made by the same
// code the loaders run (util/yaml's parseContentYaml, the field model's yaml.parse options, the
// ATT&CK table's checks) and is kept only if it survives a JSON round trip unchanged; a file that
// does not parse gets no entry (the loader then parses it and reports the error as before).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { lineOf, parseContentYaml, yamlPackage } = await import(join(root, 'dist/src/util/yaml.js'));
const { PARSED_YAML_VERSION, parsedYamlPath, YAML_READERS } = await import(join(root, 'dist/src/util/parsed-yaml.js'));
const { loadMitreTable, mitreTableJson } = await import(join(root, 'dist/src/content/mitre.js'));

/** Which trees are cached, and with which loader's reading. */
const TREES = [
  ['content', 'content'],
  [join('data', 'fieldmodel'), 'data'],
  [join('data', 'datamodels'), 'data'],
  [join('data', 'mitre'), 'mitre'],
];

function yamlFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/i.test(e.name)) out.push(p);
  }
  return out;
}

/** Line of every node of the value that the document places (keys of mappings, list indexes). */
function nodeLines(y) {
  const out = {};
  const walk = (v, path) => {
    if (path.length > 0) {
      const line = lineOf(y, path);
      if (line !== undefined) out[JSON.stringify(path)] = line;
    }
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(y.value, []);
  return out;
}

function read(file, text, reader) {
  if (reader === 'content') {
    const y = { ...parseContentYaml(text, file), nodeLines: undefined }; // always from the document
    return { value: y.value, normalisedLines: y.normalisedLines, nodeLines: nodeLines(y) };
  }
  if (reader === 'mitre') return { value: mitreTableJson(loadMitreTable(file)) };
  const value = yamlPackage().parse(text, { maxAliasCount: -1 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('the top level is not a mapping');
  return { value };
}

const files = {};
let skipped = 0;
for (const [tree, reader] of TREES) {
  for (const file of yamlFiles(join(root, tree))) {
    const text = readFileSync(file, 'utf8');
    let got;
    try {
      got = read(file, text, reader);
    } catch {
      skipped++;
      continue;
    }
    const json = JSON.stringify(got.value);
    if (json === undefined || !isDeepStrictEqual(JSON.parse(json), got.value)) {
      skipped++;
      continue;
    }
    const rel = relative(root, file).split('\\').join('/');
    files[rel] = { text, reader, json, ...(got.normalisedLines?.length ? { normalisedLines: got.normalisedLines } : {}), ...(got.nodeLines ? { nodeLines: got.nodeLines } : {}) };
  }
}
// Non-ASCII characters written as \u escapes: the same JSON, but an ASCII file reads into a
// one-byte string, which every CLI run reads and parses sooner (about 1.5 ms for the whole cache).
const asciiJson = (v) => JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const dir = join(root, ...parsedYamlPath('content').slice(0, -1));
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const reader of YAML_READERS) {
  const out = join(root, ...parsedYamlPath(reader));
  const mine = Object.fromEntries(Object.entries(files).filter(([, e]) => e.reader === reader));
  writeFileSync(`${out}.tmp`, asciiJson({ version: PARSED_YAML_VERSION, files: mine }));
  renameSync(`${out}.tmp`, out);
}
console.log(`parse-yaml: ${Object.keys(files).length} YAML files cached in ${relative(root, dir)}/${skipped ? ` (${skipped} left to parse at run time)` : ''}`);
