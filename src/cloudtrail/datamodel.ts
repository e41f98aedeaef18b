/**
 * CIM data model rows (SPL.md §8, §9.2): what `tstats … from datamodel=X` sees for one event.
 *
 * `dataModelRow` returns null when the event is outside the root dataset; otherwise a lazy Row
 * with the model's fields under their dataset prefix (`All_Changes.user`,
 * `All_Changes.Instance_Changes.image_id`) plus `_time`. Child fields exist only on rows that
 * satisfy the child's constraint. Calculated fields turn null and "" into their default
 * ("unknown"); plain fields are copied (null stays null).
 */
import { distance } from 'fastest-levenshtein';
import { Row, type FieldSource } from '../engine/row.js';
import { TrailguardError } from '../errors.js';
import type { Value } from '../eval/value.js';
import { toText, valuesOf } from '../eval/value.js';
import type { DataModel, DataModelField, Dataset, FieldModel } from './model.js';
import type { RuleEnv } from './rules.js';
import { evalCond } from './rule-eval.js';

interface FieldSlot {
  dataset: Dataset;
  /** Ancestors from the root, then the dataset itself: all their constraints must hold. */
  chain: Dataset[];
  field: DataModelField;
}

/** Map of every prefixed field name of a model to its slot (computed once per model). */
const slotCache = new WeakMap<DataModel, Map<string, FieldSlot>>();

function slots(dm: DataModel): Map<string, FieldSlot> {
  let m = slotCache.get(dm);
  if (!m) {
    m = new Map();
    const walk = (ds: Dataset, chain: Dataset[]) => {
      const here = [...chain, ds];
      for (const f of ds.fields) m!.set(`${ds.path}.${f.name}`, { dataset: ds, chain: here, field: f });
      for (const c of ds.children) walk(c, here);
    };
    walk(dm.root, []);
    slotCache.set(dm, m);
  }
  return m;
}

function isEmpty(v: Value): boolean {
  if (v === null) return true;
  const vals = valuesOf(v);
  return vals.length === 0 || (vals.length === 1 && toText(vals[0]!) === '');
}

function lookupModel(model: FieldModel, name: string): DataModel {
  const dm = model.datamodels.get(name);
  if (!dm) {
    const known = [...model.datamodels.keys()].sort();
    throw new TrailguardError({
      code: 'unknown-datamodel',
      phase: 'plan',
      reason: `unknown data model ${name}`,
      hints: [`known data models: ${known.join(', ')} (names are case-sensitive)`],
    });
  }
  return dm;
}

class DataModelFieldSource implements FieldSource {
  private readonly member = new Map<Dataset, boolean>();
  private readonly cache = new Map<string, Value>();

  constructor(
    private readonly base: Row,
    private readonly dm: DataModel,
    private readonly env: RuleEnv,
  ) {}

  inDataset(ds: Dataset): boolean {
    let m = this.member.get(ds);
    if (m === undefined) {
      m = evalCond(ds.constraint, (n) => this.base.get(n), this.env);
      this.member.set(ds, m);
    }
    return m;
  }

  get(name: string): Value {
    if (name === '_time') return this.base.get('_time');
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit;
    const slot = slots(this.dm).get(name);
    let v: Value = null;
    if (slot && slot.chain.every((ds) => this.inDataset(ds))) {
      const f = slot.field;
      for (const src of f.from) {
        const x = this.base.get(src);
        if (f.default === undefined ? x !== null : !isEmpty(x)) {
          v = x;
          break;
        }
      }
      if (v === null && f.default !== undefined) v = f.default;
    }
    this.cache.set(name, v);
    return v;
  }

  names(): string[] {
    const out = ['_time'];
    for (const name of slots(this.dm).keys()) if (this.get(name) !== null) out.push(name);
    return out;
  }
}

/** The event's row in data model `datamodel` (e.g. `Change`), or null when it is not in the root dataset. */
export function dataModelRow(row: Row, datamodel: string, model: FieldModel): Row | null {
  const dm = lookupModel(model, datamodel);
  const src = new DataModelFieldSource(row, dm, { tables: model.tables, sets: model.sets, caseInsensitive: true });
  if (!src.inDataset(dm.root)) return null;
  return new Row(src);
}

/** Names of the data datasets an event row belongs to in `datamodel` (root first); [] when none. */
export function dataModelMembership(row: Row, datamodel: string, model: FieldModel): string[] {
  const dm = lookupModel(model, datamodel);
  const src = new DataModelFieldSource(row, dm, { tables: model.tables, sets: model.sets, caseInsensitive: true });
  const out: string[] = [];
  const walk = (ds: Dataset) => {
    if (!src.inDataset(ds)) return;
    out.push(ds.path);
    ds.children.forEach(walk);
  };
  walk(dm.root);
  return out;
}

/** The data models the field model knows (`Authentication`, `Change`). */
export function dataModelNames(model: FieldModel): string[] {
  return [...model.datamodels.keys()].sort();
}

export interface DatasetInfo {
  name: string;
  /** `All_Changes` or `All_Changes.Instance_Changes`. */
  path: string;
  parent: string | null;
  /** Fully prefixed field names (`All_Changes.user`). */
  fields: string[];
}

/** Every dataset of a model with its prefixed field names (for tstats validation). */
export function datasets(model: FieldModel, datamodel: string): DatasetInfo[] {
  const dm = lookupModel(model, datamodel);
  const out: DatasetInfo[] = [];
  const walk = (ds: Dataset, parent: string | null) => {
    out.push({ name: ds.name, path: ds.path, parent, fields: ds.fields.map((f) => `${ds.path}.${f.name}`) });
    for (const c of ds.children) walk(c, ds.path);
  };
  walk(dm.root, null);
  return out;
}

/** All prefixed field names of a model, plus `_time`. */
export function dataModelFields(model: FieldModel, datamodel: string): string[] {
  return ['_time', ...datasets(model, datamodel).flatMap((d) => d.fields)];
}

/** Up to `max` known field names close to `name` (for "did you mean" hints), nearest first. */
export function suggestDataModelFields(model: FieldModel, datamodel: string, name: string, max = 3): string[] {
  const known = dataModelFields(model, datamodel);
  const lower = name.toLowerCase();
  return known
    .map((k) => ({ k, d: distance(lower, k.toLowerCase()) }))
    .filter(({ k, d }) => d <= Math.max(2, Math.floor(k.length / 4)) || k.toLowerCase().endsWith('.' + lower.split('.').pop()))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, max)
    .map(({ k }) => k);
}
