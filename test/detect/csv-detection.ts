/**
 * A user content directory with one detection that also keeps a CSV lookup (`outputlookup
 * append=true console_seen.csv`), so a run writes a file as well as the state database — what the
 * crash and disk-full tests need to check that file writes commit with the rest.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CSV_DETECTION = 'Console sign-ins kept in a CSV (test)';
export const CSV_LOOKUP_FILE = 'console_seen.csv';

/** Writes the content directory under `dir` and returns its path. */
export function csvDetectionContent(dir: string): string {
  const content = join(dir, 'content');
  mkdirSync(join(content, 'detections'), { recursive: true });
  writeFileSync(join(content, 'detections', 'console_seen.yml'), [
    `name: ${CSV_DETECTION}`,
    'id: 7d1c1c52-0000-4000-8000-00000000c5a1',
    'type: Hunting',
    `search: '\`cloudtrail\` eventName=ConsoleLogin | stats count by userIdentity.arn | outputlookup append=true ${CSV_LOOKUP_FILE}'`,
    'tags:',
    '  risk_score: 5',
    '  observable:',
    '  - { name: userIdentity.arn, type: User, role: [Victim] }',
    '',
  ].join('\n'));
  return content;
}
