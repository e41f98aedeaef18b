/**
 * Content problems, collected instead of thrown so one run reports all of them (pySigma style):
 * hard errors with file:line:column, lint warnings with a severity, notes.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface ContentProblem {
  severity: Severity;
  /** Stable identifier (`yaml-invalid`, `lint-null-by-field`, …) for filtering and docs. */
  code: string;
  file: string;
  line?: number;
  column?: number;
  message: string;
  hint?: string;
  /** The detection/baseline the problem belongs to, when there is one. */
  search?: string;
}

export function problemLocation(p: Pick<ContentProblem, 'file' | 'line' | 'column'>): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}` : ''}${p.line !== undefined && p.column !== undefined ? `:${p.column}` : ''}`;
}

export function renderProblem(p: ContentProblem): string {
  const hint = p.hint ? `\n  hint: ${p.hint}` : '';
  return `${problemLocation(p)}: ${p.severity}[${p.code}]: ${p.message}${hint}`;
}
