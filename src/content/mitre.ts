// TEMPORARY placeholder until the ATT&CK table branch (wt/mitre) is merged; replaced by it.
const TABLE: Record<string, { name: string; tactics: string[] }> = {
  T1078: { name: 'Valid Accounts', tactics: ['Defense Evasion', 'Persistence', 'Privilege Escalation', 'Initial Access'] },
  'T1078.004': { name: 'Valid Accounts: Cloud Accounts', tactics: ['Defense Evasion', 'Persistence', 'Privilege Escalation', 'Initial Access'] },
};
export function techniqueInfo(id: string): { id: string; name: string; tactics: string[] } | undefined {
  const k = id.trim().toUpperCase();
  const t = TABLE[k];
  return t && { id: k, ...t };
}
