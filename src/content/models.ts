/**
 * Which loaded content search fits a model: the baselines (then detections) whose search contains
 * `fit … into <model>`. Searches that do not compile are skipped here (validate reports them).
 */
import type { ModelFitter } from '../engine/context.js';
import { fittedModelNames } from '../mltk/names.js';
import type { Content } from './load.js';

export type ModelFitterInfo = ModelFitter;

/** Every model fitted by the content, mapped to its fitters. */
export function modelFitters(content: Content): Map<string, ModelFitterInfo[]> {
  const out = new Map<string, ModelFitterInfo[]>();
  for (const s of [...content.baselines, ...content.detections]) {
    if (!/\bfit\b/i.test(s.search)) continue;
    const compiled = content.tryCompile(s);
    if (!compiled.ok) continue;
    for (const n of fittedModelNames(compiled.compiled.pipeline)) out.set(n, [...(out.get(n) ?? []), { kind: s.kind, name: s.name, file: s.file }]);
  }
  return out;
}

/** A lookup function for the run context: computed on first use, then kept. */
export function modelFitterLookup(content: Content): (model: string) => ModelFitterInfo[] {
  let table: Map<string, ModelFitterInfo[]> | undefined;
  return (model) => (table ??= modelFitters(content)).get(model) ?? [];
}
