/** The eval function registry: one table per family, merged (SPL.md §3.6). */
import type { FunctionTable } from './types.js';
import { CONDITIONAL } from './conditional.js';
import { CONVERSION } from './conversion.js';
import { TEXT } from './text.js';
import { MULTIVALUE } from './multivalue.js';
import { MATH } from './math.js';
import { TIME } from './time.js';
import { CRYPTO } from './crypto.js';
import { JSON_FUNCTIONS } from './json.js';
import { SEARCH } from './search.js';

export type { FunctionDef, FunctionTable } from './types.js';

export const FUNCTIONS: Readonly<FunctionTable> = Object.freeze({
  ...CONDITIONAL,
  ...CONVERSION,
  ...TEXT,
  ...MULTIVALUE,
  ...MATH,
  ...TIME,
  ...CRYPTO,
  ...JSON_FUNCTIONS,
  ...SEARCH,
});
