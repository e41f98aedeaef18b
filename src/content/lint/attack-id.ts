/**
 * An ATT&CK id that the shipped technique table (data/mitre/enterprise-attack.yml) does not know
 * is a typo or a retired id: findings then show it without a name or tactic.
 */
import { normaliseTechniqueId, techniqueInfo } from '../mitre.js';
import { lineOf as yamlLineOf } from '../../util/yaml.js';
import type { LintFinding, LintRule } from './types.js';

function lineOf(ctx: Parameters<LintRule['check']>[0], index: number): number | undefined {
  const y = ctx.yaml();
  if (y === undefined) return undefined;
  return yamlLineOf(y, ['tags', 'mitre_attack_id', index]) ?? yamlLineOf(y, ['tags', 'mitre_attack_id']);
}

export const unknownAttackId: LintRule = {
  code: 'lint-unknown-attack-id',
  severity: 'warning',
  summary: 'a mitre_attack_id that the shipped ATT&CK table does not know',
  hint: 'use an id of ATT&CK Enterprise (T1078, T1078.004); data/mitre/enterprise-attack.yml lists them',
  needsAst: false,
  check(ctx) {
    const out: LintFinding[] = [];
    ctx.search.mitreAttackIds.forEach((id, i) => {
      if (techniqueInfo(id) !== undefined) return;
      const line = lineOf(ctx, i);
      out.push({ message: `ATT&CK id \`${normaliseTechniqueId(id)}\` is not in the technique table`, ...(line !== undefined ? { position: { line } } : {}) });
    });
    return out;
  },
};
