/**
 * The one error type of Trailguard. Every failure a user can cause (bad SPL, a missing macro,
 * unreadable data, a bad flag) is a TrailguardError with a code, the phase that found it, an
 * optional source span, a reason and hints. `renderError` prints it with the source line and a caret.
 */

export type Phase =
  | 'lex'
  | 'parse'
  | 'macro'
  | 'eval'
  | 'plan'
  | 'runtime'
  | 'input'
  | 'content'
  | 'state'
  | 'usage';

/** Offsets are 0-based UTF-16 indices into `SourceText.text`; line/column are 1-based. */
export interface Span {
  start: number;
  end: number;
}

export interface SourceText {
  text: string;
  /** File the text came from (a detection YAML, an @file), if any. */
  file?: string;
  /** Line of `file` on which `text` starts (1-based), when the SPL is embedded in a larger file. */
  lineOffset?: number;
}

export interface ErrorDetails {
  code: string;
  phase: Phase;
  reason: string;
  span?: Span;
  source?: SourceText;
  hints?: string[];
  /** For data errors: byte offset or line in a data file. */
  location?: { file: string; line?: number; byte?: number };
}

export class TrailguardError extends Error {
  readonly code: string;
  readonly phase: Phase;
  readonly reason: string;
  readonly span?: Span;
  readonly source?: SourceText;
  readonly hints: string[];
  readonly location?: { file: string; line?: number; byte?: number };

  constructor(d: ErrorDetails) {
    super(d.reason);
    this.name = 'TrailguardError';
    this.code = d.code;
    this.phase = d.phase;
    this.reason = d.reason;
    this.span = d.span;
    this.source = d.source;
    this.hints = d.hints ?? [];
    this.location = d.location;
  }

  /** Line and column (1-based) of the span start, if the error has a span and source. */
  position(): { line: number; column: number } | undefined {
    if (!this.span || !this.source) return undefined;
    return lineColumn(this.source.text, this.span.start);
  }
}

/** Several errors found in one pass (the parser reports every syntax error it can recover from). */
export class TrailguardErrors extends Error {
  readonly errors: TrailguardError[];
  constructor(errors: TrailguardError[]) {
    super(errors.map((e) => e.reason).join('; '));
    this.name = 'TrailguardErrors';
    this.errors = errors;
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Renders an error as a compiler would: `file:line:col: error[code]: reason`, the line, a caret, hints. */
export function renderError(e: TrailguardError): string {
  const out: string[] = [];
  const pos = e.position();
  let where = '';
  if (e.source && pos) {
    const line = pos.line + (e.source.lineOffset ?? 1) - 1;
    where = `${e.source.file ?? '<spl>'}:${line}:${pos.column}: `;
  } else if (e.location) {
    const l = e.location;
    where = `${l.file}${l.line !== undefined ? `:${l.line}` : ''}${l.byte !== undefined ? ` (byte ${l.byte})` : ''}: `;
  }
  out.push(`${where}error[${e.code}]: ${e.reason}`);
  if (e.source && e.span && pos) {
    const lines = e.source.text.split('\n');
    const text = lines[pos.line - 1] ?? '';
    const width = Math.max(1, Math.min(e.span.end - e.span.start, text.length - pos.column + 1));
    const gutter = String(pos.line + (e.source.lineOffset ?? 1) - 1);
    out.push(`${' '.repeat(gutter.length)} |`);
    out.push(`${gutter} | ${text}`);
    out.push(`${' '.repeat(gutter.length)} | ${' '.repeat(pos.column - 1)}${'^'.repeat(width)}`);
  }
  for (const h of e.hints) out.push(`  hint: ${h}`);
  return out.join('\n');
}

export function renderErrors(errors: TrailguardError[]): string {
  return errors.map(renderError).join('\n\n');
}
