/** Counting, keeping and (in strict mode) raising input problems. */
import { TrailguardError } from '../errors.js';
import type { IssueKind, ReadOptions, SourceIssue } from './types.js';

export const ISSUE_KINDS: readonly IssueKind[] = ['unparsable', 'not-object', 'no-time', 'truncated', 'oversized', 'unreadable'];

/** How many issues are kept in full (the rest are only counted). */
export const FIRST_ISSUES_KEPT = 10;

const HINTS: Record<IssueKind, string> = {
  unparsable: 'fix or remove the record, or run without --strict to skip it',
  'not-object': 'each record must be a JSON object (a CloudTrail event); run without --strict to skip it',
  'no-time': 'each event needs an ISO-8601 eventTime (or @timestamp); run without --strict to skip it',
  truncated: 'the file is cut off (an interrupted download or copy?); fetch it again, or run without --strict to keep the events before the cut',
  oversized: 'CloudTrail events are far smaller: check what wrote this file; raise --max-record-bytes if such records are expected, or run without --strict to skip them',
  unreadable: 'check the path and its permissions',
};

export function issueError(issue: SourceIssue): TrailguardError {
  return new TrailguardError({
    code: `input-${issue.kind}`,
    phase: 'input',
    reason: issue.message,
    location: { file: issue.file, line: issue.line, byte: issue.byte },
    hints: [HINTS[issue.kind]],
  });
}

export function emptyIssueCounts(): Record<IssueKind, number> {
  return { unparsable: 0, 'not-object': 0, 'no-time': 0, truncated: 0, oversized: 0, unreadable: 0 };
}

export class IssueLog {
  readonly counts = emptyIssueCounts();
  readonly first: SourceIssue[] = [];
  total = 0;

  constructor(private readonly opts: Pick<ReadOptions, 'strict' | 'onIssue'>) {}

  /** Records an issue; in strict mode throws it as a TrailguardError (phase 'input'). */
  report(issue: SourceIssue): void {
    this.counts[issue.kind]++;
    this.total++;
    if (this.first.length < FIRST_ISSUES_KEPT) this.first.push(issue);
    this.opts.onIssue?.(issue);
    if (this.opts.strict) throw issueError(issue);
  }
}
