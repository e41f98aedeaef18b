/**
 * Which loaded content search fits a model: the baselines (then detections) whose search contains
 * `fit … into <model>`, found by parsing each search with its macros. Searches that do not parse
 * are skipped here (validate reports them).
 */
import { compileSpl } from '../spl/index.js';
import { fittedModelNames } from '../mltk/names.js';
import { loadContent } from './detections.js';
import { loadMacros } from './macros.js';

export interface ModelFitterInfo {
  kind: 'baseline' | 'detection';
  name: string;
  file: string;
}

/** Every model fitted by the content of the project plus `contentDirs`, mapped to its fitters. */
export function modelFitters(contentDirs: string[] = []): Map<string, ModelFitterInfo[]> {
  const { baselines, detections } = loadContent(contentDirs);
  const macros = loadMacros(contentDirs);
  const out = new Map<string, ModelFitterInfo[]>();
  for (const s of [...baselines, ...detections]) {
    if (!/\bfit\b/i.test(s.search)) continue;
    let names: string[];
    try {
      names = fittedModelNames(compileSpl(s.search, { macros }));
    } catch {
      continue;
    }
    for (const n of names) out.set(n, [...(out.get(n) ?? []), { kind: s.kind, name: s.name, file: s.file }]);
  }
  return out;
}

/** A lookup function for the run context: computed on first use, then kept. */
export function modelFitterLookup(contentDirs: string[] = []): (model: string) => ModelFitterInfo[] {
  let table: Map<string, ModelFitterInfo[]> | undefined;
  return (model) => {
    if (!table) {
      try {
        table = modelFitters(contentDirs);
      } catch {
        table = new Map(); // unreadable content: the model error still says how models come to be
      }
    }
    return table.get(model) ?? [];
  };
}
