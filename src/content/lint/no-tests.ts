/**
 * A detection without tests cannot be checked by `trailguard test`: nothing shows that it still
 * finds what it is meant to after a change to it, to its macros or to the field model.
 */
import type { LintRule } from './types.js';

export const noTests: LintRule = {
  code: 'lint-no-tests',
  severity: 'warning',
  summary: 'a detection without tests (`tests:` in its YAML or a tests/*.yml naming it)',
  hint: 'add `tests:` with attack_data (a CloudTrail file that should raise it) and `expect: some`',
  needsAst: false,
  check(ctx) {
    const s = ctx.search;
    if (s.kind !== 'detection' || s.tests.length > 0) return [];
    return [{ message: `detection "${s.name}" has no tests`, position: { line: 1 } }];
  },
};
