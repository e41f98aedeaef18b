/**
 * Trino grammar check with dt-sql-parser's TrinoSQL (ANTLR; SCALEOUT.md §5.4.3). Its ESM build
 * imports directories and extension-less files, which Node's loader refuses, so a small resolve
 * hook retries those with `.js` / `/index.js` and loads the package's files as ES modules.
 */
import { register } from 'node:module';

const HOOKS = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    const from = context.parentURL || '';
    if (!from.includes('/dt-sql-parser/') || !(specifier.startsWith('.') || specifier.startsWith('/'))) throw err;
    for (const suffix of ['.js', '/index.js']) {
      try {
        return await next(specifier + suffix, context);
      } catch {}
    }
    throw err;
  }
}
export async function load(url, context, next) {
  if (url.includes('/dt-sql-parser/dist/') && url.endsWith('.js')) return next(url, { ...context, format: 'module' });
  return next(url, context);
}
`;

let registered = false;

interface TrinoParser {
  validate(sql: string): { message: string; startLine?: number; startColumn?: number }[];
}

let parser: TrinoParser | undefined;

export async function trinoParser(): Promise<TrinoParser> {
  if (!registered) {
    register('data:text/javascript,' + encodeURIComponent(HOOKS), import.meta.url);
    registered = true;
  }
  if (!parser) {
    const m = (await import('dt-sql-parser')) as unknown as { TrinoSQL: new () => TrinoParser };
    parser = new m.TrinoSQL();
  }
  return parser;
}
