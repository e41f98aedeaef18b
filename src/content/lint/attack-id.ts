/**
 * An ATT&CK id that the shipped technique table (data/mitre/enterprise-attack.yml) does not know
 * is a typo or a retired id: findings then show it without a name or tactic.
 */
import { normaliseTechniqueId, techniqueInfo } from '../mitre.js';
import type { LintFinding, LintRule } from './types.js';

function lineOf(ctx: Parameters<LintRule['check']>[0], index: number): number | undefined {
  const y = ctx.yaml();
  if (y === undefined) return undefined;
  for (const path of [['tags', 'mitre_attack_id', index], ['tags', 'mitre_attack_id']]) {
    const node = y.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return y.lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
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
