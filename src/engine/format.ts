/**
 * Result rows → search text (SPL.md §2.8, used by `format` and by subsearch filters):
 * each row becomes `( f1="v1" AND f2="v2" )`, rows are OR-ed, multivalue cells become
 * `( f="a" OR f="b" )`, `_`-fields are skipped, a `search`/`query` field is inserted verbatim,
 * and no rows give `NOT ()`.
 */
import type { Row } from './row.js';
import { toText, valuesOf } from '../eval/value.js';

export interface FormatStrings {
  rowPrefix: string;
  columnPrefix: string;
  columnSeparator: string;
  columnEnd: string;
  rowSeparator: string;
  rowEnd: string;
  emptyString: string;
}

export const DEFAULT_FORMAT: FormatStrings = {
  rowPrefix: '(',
  columnPrefix: '(',
  columnSeparator: 'AND',
  columnEnd: ')',
  rowSeparator: 'OR',
  rowEnd: ')',
  emptyString: 'NOT ()',
};

const VERBATIM = new Set(['search', 'query']);

export function quoteSearchValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A field name as a search term's left side (quoted when it has characters a term cannot hold). */
export function searchFieldName(name: string): string {
  return /^[A-Za-z0-9_.{}\-:@]+$/.test(name) ? name : quoteSearchValue(name);
}

/** The terms of one row (empty when it has no usable field). */
function rowTerms(row: Row): string[] {
  const terms: string[] = [];
  for (const name of row.fieldNames()) {
    if (name.startsWith('_')) continue;
    const values = valuesOf(row.get(name)).map(toText);
    if (values.length === 0) continue;
    if (VERBATIM.has(name)) {
      terms.push(values.join(' '));
      continue;
    }
    const parts = values.map((v) => `${searchFieldName(name)}=${quoteSearchValue(v)}`);
    terms.push(parts.length === 1 ? parts[0]! : `( ${parts.join(' OR ')} )`);
  }
  return terms;
}

/** Formats rows into one search string. The outer parentheses wrap the whole OR-chain, as Splunk does. */
export function formatRows(rows: readonly Row[], s: FormatStrings = DEFAULT_FORMAT): string {
  const parts: string[] = [];
  for (const r of rows) {
    const terms = rowTerms(r);
    if (terms.length === 0) continue;
    parts.push(`${s.columnPrefix} ${terms.join(` ${s.columnSeparator} `)} ${s.columnEnd}`);
  }
  if (parts.length === 0) return s.emptyString;
  return `${s.rowPrefix} ${parts.join(` ${s.rowSeparator} `)} ${s.rowEnd}`;
}
