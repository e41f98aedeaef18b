/**
 * `spath [input=f] [output=o] [path=]p` (SPL.md §5): reads JSON text from `input` (default
 * `_raw`). With a path, the value(s) at the path go to `o` (default: the path text); several hits
 * make a multivalue; an object or array target is returned as JSON text. Without a path, every
 * leaf is extracted under its flattened name (`a.b`, `list{}.c`). Input that is not JSON, or a
 * path that is absent, creates nothing (an existing output field is left as is).
 */
import type { SpathCommand } from '../spl/ast.js';
import { firstValue, toText, type Scalar } from '../eval/value.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

type Step = { key: string; index: 'all' | number | null };

/** `a.b{}.c{2}` → steps; `{}` = every element, `{N}` = the N-th (1-based). */
export function parseSpathPath(path: string): Step[] {
  const steps: Step[] = [];
  for (const part of path.split('.')) {
    const m = /^(.*?)((?:\{\d*\})*)$/.exec(part)!;
    const key = m[1]!;
    const braces = [...m[2]!.matchAll(/\{(\d*)\}/g)].map((b) => (b[1] === '' ? ('all' as const) : Number(b[1])));
    if (braces.length === 0) steps.push({ key, index: null });
    else {
      steps.push({ key, index: braces[0]! });
      for (const b of braces.slice(1)) steps.push({ key: '', index: b });
    }
  }
  return steps;
}

function leafText(v: Json): Scalar {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function spathExtract(doc: Json, steps: Step[]): Scalar[] {
  let cur: Json[] = [doc];
  for (const s of steps) {
    const next: Json[] = [];
    for (const node of cur) {
      let v: Json | undefined = node;
      if (s.key !== '') {
        if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
        v = node[s.key];
        if (v === undefined) continue;
      }
      if (s.index === null) next.push(v);
      else if (Array.isArray(v)) {
        if (s.index === 'all') next.push(...v);
        else if (v[s.index - 1] !== undefined) next.push(v[s.index - 1]!);
      } else if (s.index === 'all' && v !== null && typeof v === 'object') {
        // `{}` applied to an object: take the object itself [verify, SPL.md §5].
        next.push(v);
      }
    }
    cur = next;
  }
  return cur.map(leafText);
}

/** Every leaf with its flattened name; arrays add `{}` and give multivalues, in document order. */
export function spathFlatten(doc: Json): Map<string, Scalar[]> {
  const out = new Map<string, Scalar[]>();
  const add = (name: string, v: Scalar) => {
    const list = out.get(name);
    if (list) list.push(v);
    else out.set(name, [v]);
  };
  const walk = (v: Json, name: string) => {
    if (Array.isArray(v)) {
      for (const e of v) walk(e, `${name}{}`);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, e] of Object.entries(v)) walk(e, name === '' ? k : `${name}.${k}`);
    } else if (name !== '') add(name, leafText(v));
  };
  walk(doc, '');
  return out;
}

function parseJson(text: string): Json | undefined {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(t) as Json;
  } catch {
    return undefined;
  }
}

export default function spathPlan(cmd: SpathCommand, env: PlanEnv): CommandPlan {
  const input = cmd.input ?? '_raw';
  const path = cmd.path;
  const steps = path ? parseSpathPath(path) : null;
  const output = cmd.output ?? path;
  return simplePlan(cmd, env, `input=${input}${path ? ` path=${path}` : ''}${cmd.output ? ` output=${cmd.output}` : ''}`, () =>
    mapOperator((row) => {
      const v = firstValue(row.get(input));
      if (v === null) return row;
      const doc = parseJson(toText(v));
      if (doc === undefined) return row;
      if (steps && output) {
        const hits = spathExtract(doc, steps);
        if (hits.length > 0) row.set(output, hits);
        return row;
      }
      for (const [name, values] of spathFlatten(doc)) row.set(name, values);
      return row;
    }),
  );
}
