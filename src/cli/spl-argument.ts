/**
 * The `<spl | @file>` argument every SPL-taking command accepts: SPL text as given, an @file of
 * SPL, or an @detection/baseline YAML whose `search:` is used (errors then point into the YAML).
 */
import { readFileSync } from 'node:fs';
import { TrailguardError, type SourceText } from '../errors.js';
import { yamlPackage } from '../util/yaml.js';

export function inputError(reason: string, hints: string[] = [], file?: string): TrailguardError {
  return new TrailguardError({ code: 'usage', phase: 'usage', reason, hints, ...(file ? { location: { file } } : {}) });
}

/** The SPL text and where it came from. */
export function readSplArgument(arg: string): SourceText {
  if (!arg.startsWith('@')) return { text: arg };
  const file = arg.slice(1);
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw inputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, ['pass @path/to/file.spl or @detection.yml'], file);
  }
  if (!/\.ya?ml$/i.test(file)) return { text: raw, file };
  const doc = yamlPackage().parseDocument(raw);
  if (doc.errors.length) throw inputError(`${file} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, [], file);
  const node = doc.get('search', true) as { value?: unknown; range?: [number, number, number] } | undefined;
  if (!node || typeof node.value !== 'string') throw inputError(`${file} has no \`search:\` string`, ['pass a detection or baseline YAML with a `search:` field'], file);
  // Folded YAML scalars change line structure, so report lines relative to the `search:` key.
  const line = node.range ? raw.slice(0, node.range[0]).split('\n').length : 1;
  return { text: node.value, file, lineOffset: line };
}
