/**
 * The lint rules `trailguard validate` runs over every detection and baseline. Adding a rule means
 * adding a module beside this file and one line here.
 */
import { defaultFilterMacro } from './filter-macro.js';
import { dottedName } from './dotted-name.js';
import { noTests } from './no-tests.js';
import { nullByField } from './null-by-field.js';
import { unknownAttackId } from './attack-id.js';
import { unknownLookup } from './unknown-lookup.js';
import type { LintRule } from './types.js';

export type { ContentIndex, LintContext, LintFinding, LintRule } from './types.js';

export const LINT_RULES: readonly LintRule[] = [nullByField, dottedName, unknownLookup, unknownAttackId, noTests, defaultFilterMacro];
