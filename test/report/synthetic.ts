/**
 * Synthetic findings in the issue-7 shape for scale tests: many detections, identities and
 * hours, each finding with a few realistic CloudTrail evidence events. Deterministic per seed.
 */
import { Rng } from '../../src/generate/prng.js';
import type { FindingRecord, ReportInput } from '../../src/report/model.js';

const TACTICS = ['Initial Access', 'Persistence', 'Privilege Escalation', 'Defense Evasion', 'Credential Access', 'Discovery', 'Exfiltration', 'Impact'];
const EVENTS = ['ListBuckets', 'GetObject', 'AssumeRole', 'CreateAccessKey', 'PutBucketPolicy', 'DescribeInstances', 'ConsoleLogin', 'DeleteTrail'];

export function syntheticFindings(count: number, opts: { seed?: string; days?: number; end?: number; evidencePerFinding?: number } = {}): FindingRecord[] {
  const rng = new Rng(opts.seed ?? 'synthetic-findings');
  const random = () => rng.next();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const end = opts.end ?? Date.parse('2026-11-20T12:00:00Z');
  const span = (opts.days ?? 30) * 86_400_000;
  const detections = Array.from({ length: 40 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Synthetic detection ${String(i + 1).padStart(2, '0')}`,
    score: [10, 25, 36, 49, 56, 64, 72, 81][i % 8]!,
    mitre: [{ id: `T1${String(100 + i).padStart(3, '0')}`, name: `Technique ${i}`, tactics: [TACTICS[i % TACTICS.length]!, TACTICS[(i * 3 + 1) % TACTICS.length]!] }],
  }));
  const users = Array.from({ length: 500 }, (_, i) => `user${String(i).padStart(3, '0')}`);
  const ips = Array.from({ length: 100 }, (_, i) => `203.0.113.${i}`);
  const out: FindingRecord[] = [];
  for (let n = 0; n < count; n++) {
    const d = pick(detections);
    const t = end - Math.floor(random() * span);
    const time = new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const user = pick(users);
    const ip = pick(ips);
    const evidence = Array.from({ length: opts.evidencePerFinding ?? 2 }, (_, k) => {
      const et = new Date(Math.floor(t / 1000) * 1000 - (k + 1) * 61_000).toISOString().replace('.000Z', 'Z');
      return {
        time: et,
        raw: {
          eventVersion: '1.08',
          userIdentity: { type: 'IAMUser', principalId: `AIDA${n}X${k}`, arn: `arn:aws:iam::111122223333:user/${user}`, accountId: '111122223333', userName: user },
          eventTime: et,
          eventSource: 's3.amazonaws.com',
          eventName: pick(EVENTS),
          awsRegion: 'us-east-1',
          sourceIPAddress: ip,
          userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-amd64 exe/x86_64.debian.12 prompt/off',
          requestParameters: { bucketName: `bucket-${n % 97}`, key: `reports/${n}/${k}.csv`, Host: `bucket-${n % 97}.s3.amazonaws.com` },
          responseElements: null,
          requestID: `REQ${n}K${k}`,
          eventID: `${n}-${k}-0000-0000`,
          readOnly: true,
          eventType: 'AwsApiCall',
          managementEvent: false,
          recipientAccountId: '111122223333',
        },
      };
    });
    out.push({
      id: n.toString(16).padStart(16, '0'),
      detection: { id: d.id, name: d.name, version: 1, type: 'TTP' },
      time,
      window: { earliest: new Date(t - 70 * 60_000).toISOString(), latest: new Date(t - 10 * 60_000).toISOString() },
      risk_score: d.score,
      risk_objects: [
        { field: 'user', value: user, type: 'user', role: 'victim' },
        { field: 'src_ip', value: ip, type: 'ip_address', role: 'attacker' },
      ],
      message: `${d.name}: ${user} from ${ip}`,
      mitre: d.mitre,
      stories: ['Synthetic story'],
      fields: { user, src_ip: ip, count: String(1 + (n % 9)), eventName: evidence.map((e) => e.raw.eventName) },
      evidence,
      evidence_total: evidence.length,
    });
  }
  return out;
}

export function syntheticInput(count: number): ReportInput {
  return { findings: syntheticFindings(count), riskEvents: null, since: null, until: null, sourceLabel: 'synthetic findings' };
}
