/**
 * `text` with every regular-expression metacharacter escaped, so it matches itself — in a
 * JavaScript RegExp (with or without the `u` flag) and in RE2 (re2js, DuckDB, Trino), which accept
 * the same escapes of punctuation.
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
