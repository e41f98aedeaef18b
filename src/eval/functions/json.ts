/**
 * JSON functions: spath(json, path) (eval form of the spath command, SPL.md §5) and
 * json_extract(json, path…). Paths are dot-separated keys; `key{}` takes every array element,
 * `key{N}` one element (1-based in spath, 0-based in json_extract, as Splunk documents each).
 * Leaves come back as text (true/false/null as words); objects and arrays as compact JSON text.
 */
import type { FunctionTable } from './types.js';
import { scalarsOf, textOf } from '../ops.js';
import { mv, toText, type Scalar } from '../value.js';

type Step = { key: string | null; index: 'all' | number | null };

function parsePath(path: string): Step[] | null {
  const steps: Step[] = [];
  for (const part of path.split('.')) {
    if (part === '') continue;
    const m = /^([^{}]*)((?:\{\d*\})*)$/.exec(part);
    if (!m) return null;
    if (m[1] !== '') steps.push({ key: m[1]!, index: null });
    for (const b of m[2]!.match(/\{\d*\}/g) ?? []) {
      const inner = b.slice(1, -1);
      steps.push({ key: null, index: inner === '' ? 'all' : Number(inner) });
    }
  }
  return steps;
}

function walk(root: unknown, steps: Step[], base: 0 | 1): unknown[] {
  let cur: unknown[] = [root];
  for (const st of steps) {
    const next: unknown[] = [];
    for (const node of cur) {
      if (st.key !== null) {
        if (node !== null && typeof node === 'object' && !Array.isArray(node) && st.key in node)
          next.push((node as Record<string, unknown>)[st.key]);
      } else if (Array.isArray(node)) {
        if (st.index === 'all') next.push(...node);
        else if (typeof st.index === 'number' && st.index - base >= 0 && st.index - base < node.length) next.push(node[st.index - base]);
      }
    }
    cur = next;
  }
  return cur;
}

function render(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function extract(text: string, path: string, base: 0 | 1): Scalar[] | null {
  const parsed = parseJson(text);
  if (!parsed.ok) return null;
  const steps = parsePath(path);
  if (steps === null) return null;
  return walk(parsed.value, steps, base).map(render);
}

export const JSON_FUNCTIONS: FunctionTable = {
  spath: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'spath(json, path)',
    impl: ([j, p]) => {
      const path = textOf(p!);
      const inputs = scalarsOf(j!);
      if (path === null || inputs.length === 0) return null;
      return mv(inputs.flatMap((t) => extract(toText(t), path, 1) ?? []));
    },
  },
  json_extract: {
    minArgs: 1,
    maxArgs: Infinity,
    signature: 'json_extract(json, [path, …])',
    impl: ([j, ...paths]) => {
      const text = textOf(j!);
      if (text === null) return null;
      if (paths.length === 0) {
        const parsed = parseJson(text);
        return parsed.ok ? render(parsed.value) : null;
      }
      const out: Scalar[] = [];
      for (const p of paths) {
        const path = textOf(p!);
        if (path === null) continue;
        const hits = extract(text, path, 0);
        if (hits === null) return null;
        // Several hits of one path come back as a JSON array, as Splunk does.
        if (hits.length === 1) out.push(hits[0]!);
        else if (hits.length > 1) out.push(JSON.stringify(hits));
      }
      return mv(out);
    },
  },
};
