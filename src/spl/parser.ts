/**
 * Recursive-descent SPL parser. The pipeline skeleton (pipes, subsearches, implicit `search`) and
 * the two expression grammars live here; each command's arguments are parsed by its own module in
 * `syntax/`, found through the registry the parser is given (parse.ts passes `syntax/index.ts`'s;
 * the command modules use this class, so it does not import them). Errors are collected: a
 * failing command is skipped up to the next `|` (or the `]` closing its subsearch) and parsing
 * continues (SPL.md §2, §3).
 */
import { distance } from 'fastest-levenshtein';
import { TrailguardError, TrailguardErrors, type SourceText, type Span } from '../errors.js';
import type { BinaryOp, Command, Expr, Pipeline, SearchCompareOp, SearchExpr, SearchValue, Options } from './ast.js';
import { GENERATING_COMMANDS } from './ast.js';
import { SPL } from './codes.js';
import { scanEval, scanSearch, stripComments, type Token } from './lexer.js';

/** Thrown inside a command parser to abandon the command; the error is already recorded. */
export class ParseAbort extends Error {}

export interface ParseOptions {
  source?: SourceText;
}

/** Command name → its argument parser, called after the name has been consumed (syntax/index.ts). */
export type CommandSyntaxTable = Readonly<Record<string, (p: Parser, name: string, start: number) => Command>>;

const SEARCH_OPS = new Set(['=', '!=', '<', '<=', '>', '>=']);
const MAX_DEPTH = 200;

export class Parser {
  readonly text: string;
  pos = 0;
  /** End offset of the last consumed token. */
  lastEnd = 0;
  readonly errors: TrailguardError[] = [];
  private readonly source: SourceText;
  /** Nesting of `[ … ]`: a `]` ends a command only inside a subsearch. */
  private bracketDepth = 0;
  private depth = 0;

  constructor(
    text: string,
    private readonly syntax: CommandSyntaxTable,
    opts: ParseOptions = {},
  ) {
    this.text = stripComments(text);
    this.source = opts.source ?? { text };
  }

  // ───────────── tokens ─────────────

  peek(): Token {
    return scanSearch(this.text, this.pos);
  }
  peekAt(pos: number): Token {
    return scanSearch(this.text, pos);
  }
  next(): Token {
    const t = this.peek();
    this.advance(t);
    return t;
  }
  peekEval(): Token {
    return scanEval(this.text, this.pos);
  }
  nextEval(): Token {
    const t = this.peekEval();
    this.advance(t);
    return t;
  }
  /** Consumes `t`; a malformed token (unterminated string, unexpanded macro) is reported here. */
  advance(t: Token): void {
    this.check(t);
    this.pos = t.span.end;
    if (t.kind !== 'eof') this.lastEnd = t.span.end;
  }
  private check(t: Token): Token {
    if (t.kind === 'eof') return t;
    if (t.error) {
      const code = t.kind === 'macro' ? SPL.unexpandedMacro : SPL.unterminated;
      const hints = t.kind === 'macro' && !t.error.startsWith('unterminated') ? ['expand macros first (compileSpl / `trailguard explain` does)'] : [];
      this.fail(code, t.error, t.span, hints, 'lex');
    }
    return t;
  }

  /** The command ends here: `|`, end of text, or the `]` closing the current subsearch. */
  atCommandEnd(t: Token = this.peek()): boolean {
    return t.kind === 'eof' || t.kind === 'pipe' || (t.kind === 'rbracket' && this.bracketDepth > 0);
  }

  /**
   * A comma-optional list running to the end of the command (or to one of the `stop` words,
   * case-insensitive): commas are skipped and `item` parses one element starting at token `t`.
   */
  listItems(item: (t: Token) => void, stop: readonly string[] = []): void {
    for (;;) {
      const t = this.peek();
      if (this.atCommandEnd(t)) return;
      if (t.kind === 'comma') {
        this.advance(t);
        continue;
      }
      if (t.kind === 'word' && stop.includes(t.text.toLowerCase())) return;
      item(t);
    }
  }

  isWord(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.text);
  }
  isWordCI(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.text.toLowerCase());
  }

  // ───────────── errors ─────────────

  fail(code: string, reason: string, span: Span, hints: string[] = [], phase: 'lex' | 'parse' = 'parse'): never {
    this.errors.push(new TrailguardError({ code, phase, reason, span, source: this.source, hints }));
    throw new ParseAbort(reason);
  }
  describe(t: Token): string {
    if (t.kind === 'eof') return 'end of search';
    if (t.kind === 'pipe') return '`|`';
    return `\`${t.text.length > 40 ? t.text.slice(0, 40) + '…' : t.text}\``;
  }
  expected(what: string, t: Token = this.peek()): never {
    this.check(t);
    if (t.kind === 'rbracket' && this.bracketDepth === 0) this.fail(SPL.unexpected, `expected ${what}, found \`]\``, t.span, ['this `]` closes no subsearch']);
    this.fail(t.kind === 'eof' ? SPL.expected : SPL.unexpected, `expected ${what}, found ${this.describe(t)}`, t.span);
  }
  expectKind(kind: Token['kind'], what: string): Token {
    const t = this.peek();
    if (t.kind !== kind) this.expected(what, t);
    this.advance(t);
    return t;
  }
  /** Fails unless the command has no more arguments. */
  expectCommandEnd(command: string): void {
    const t = this.peek();
    if (!this.atCommandEnd(t)) this.fail(SPL.unexpected, `unexpected ${this.describe(t)} in \`${command}\``, t.span);
  }

  // ───────────── shared argument shapes ─────────────

  /** `key=value` if the next tokens form one (value: word or quoted string, kept as text). */
  tryOption(): [string, string] | null {
    const k = this.peek();
    if (k.kind !== 'word') return null;
    const eq = this.peekAt(k.span.end);
    if (eq.kind !== 'op' || eq.text !== '=') return null;
    const v = this.peekAt(eq.span.end);
    if (v.kind !== 'word' && v.kind !== 'string') return null;
    this.advance(v);
    return [k.text, v.value];
  }
  /** Reads one `key=value` into `into` if present. */
  tryOptionInto(into: Options): boolean {
    const o = this.tryOption();
    if (o) into[o[0]] = o[1];
    return o !== null;
  }
  /** Reads every leading `key=value`. */
  options(into: Options = {}): Options {
    for (let o = this.tryOption(); o; o = this.tryOption()) into[o[0]] = o[1];
    return into;
  }
  /** A field name: bare word or double-quoted (`"IsOutlier(api_calls)"`). */
  fieldName(what = 'a field name'): string {
    const t = this.peek();
    if (t.kind === 'word' || t.kind === 'string') {
      this.advance(t);
      return t.value;
    }
    return this.expected(what, t);
  }
  /** Field names up to the end of the command (or a stop word), commas optional. */
  fieldList(stopWords: string[] = []): string[] {
    const out: string[] = [];
    for (;;) {
      const t = this.peek();
      if (this.atCommandEnd(t)) return out;
      if (t.kind === 'comma') {
        this.advance(t);
        continue;
      }
      if (t.kind === 'word' && stopWords.includes(t.text.toLowerCase())) return out;
      out.push(this.fieldName());
    }
  }
  /** `as`/`AS` followed by a name, or null. */
  optionalAs(): string | null {
    if (!this.isWordCI(this.peek(), 'as')) return null;
    this.next();
    return this.fieldName('a name after `as`');
  }
  /** Raw text up to the `)` matching an already consumed `(` (used for `values(x.*)`, `ctime(x)`). */
  parenText(): { text: string; quoted: boolean } {
    const t = this.peek();
    if (t.kind === 'string') {
      this.advance(t);
      this.expectKind('rparen', '`)`');
      return { text: t.value, quoted: true };
    }
    let i = this.pos;
    let depth = 0;
    while (i < this.text.length) {
      const c = this.text[i]!;
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === '|' || c === '[' || c === ']' || c === '"') break;
      i++;
    }
    if (this.text[i] !== ')') this.fail(SPL.unterminated, 'expected `)` to close the argument list', { start: this.pos, end: i });
    const text = this.text.slice(this.pos, i).trim();
    this.pos = i + 1;
    this.lastEnd = i + 1;
    return { text, quoted: false };
  }
  /** A positive integer argument. */
  integer(t: Token, what: string): number {
    if (!/^\d+$/.test(t.text)) this.fail(SPL.badNumber, `expected ${what}, found ${this.describe(t)}`, t.span);
    return Number(t.text);
  }
  spanFrom(start: number): Span {
    return { start, end: Math.max(start, this.lastEnd) };
  }

  // ───────────── pipelines ─────────────

  parseTop(): Pipeline {
    const p = this.pipeline();
    const t = this.peek();
    if (t.kind !== 'eof') {
      this.errors.push(new TrailguardError({ code: SPL.unexpected, phase: 'parse', reason: `unexpected ${this.describe(t)}`, span: t.span, source: this.source, hints: t.kind === 'rbracket' ? ['this `]` closes no subsearch'] : [] }));
    }
    return p;
  }

  /** Commands separated by `|` up to end of text or the closing `]` of a subsearch. */
  pipeline(): Pipeline {
    const start = this.peek().span.start;
    const commands: Command[] = [];
    let first = true;
    for (;;) {
      let t = this.peek();
      let piped = false;
      if (t.kind === 'pipe') {
        this.advance(t);
        piped = true;
        t = this.peek();
      } else if (!first) {
        break; // eof or ]
      }
      if (t.kind === 'eof' || (t.kind === 'rbracket' && this.bracketDepth > 0)) {
        if (piped || first) {
          this.errors.push(new TrailguardError({
            code: piped ? SPL.expected : SPL.emptySearch,
            phase: 'parse',
            reason: piped ? `expected a command name after \`|\`, found ${this.describe(t)}` : 'empty search',
            span: t.span,
            source: this.source,
          }));
        }
        break;
      }
      const cmdStart = this.pos;
      try {
        commands.push(this.command(first, piped));
      } catch (err) {
        if (!(err instanceof ParseAbort)) throw err;
        this.recover(cmdStart);
      }
      first = false;
    }
    return { kind: 'pipeline', commands, span: this.spanFrom(start) };
  }

  /** Skips to the next `|` at this nesting level (or the end of the enclosing subsearch). */
  private recover(from: number): void {
    let depth = 0;
    let pos = Math.max(from, this.pos);
    for (;;) {
      const t = scanSearch(this.text, pos);
      if (t.kind === 'eof') break;
      if (depth === 0 && (t.kind === 'pipe' || (t.kind === 'rbracket' && this.bracketDepth > 0))) break;
      if (t.kind === 'lbracket') depth++;
      if (t.kind === 'rbracket') depth = Math.max(0, depth - 1);
      pos = t.span.end;
    }
    this.pos = pos;
  }

  private command(first: boolean, piped: boolean): Command {
    const t = this.peek();
    const start = t.span.start;
    const follows = this.peekAt(t.span.end);
    const isName = t.kind === 'word' && !(follows.kind === 'op' && follows.text === '=');
    let name = isName ? t.text.toLowerCase() : '';
    if (!piped && first) {
      // Leading `search`, or a generating command written without `|` (`[inputlookup x | …]`).
      if (!(isName && (name === 'search' || GENERATING_COMMANDS.has(name)))) {
        return this.finish(this.syntax.search!(this, 'search', start));
      }
    }
    if (!isName) this.expected('a command name', t);
    const syntax = this.syntax[name];
    if (!syntax) {
      const known = Object.keys(this.syntax);
      const near = known.filter((k) => distance(k, name) <= Math.max(2, Math.floor(name.length / 3))).sort((a, b) => distance(a, name) - distance(b, name));
      const ranked = near.length ? near : [...known].sort((a, b) => distance(a, name) - distance(b, name));
      const hints = [`did you mean ${ranked.slice(0, 3).map((n) => `\`${n}\``).join(', ')}?`];
      this.fail(SPL.unknownCommand, `unknown command \`${t.text}\``, t.span, hints);
    }
    if (first && piped && !GENERATING_COMMANDS.has(name) && name !== 'search') {
      this.fail(SPL.notGenerating, `\`${name}\` cannot start a search: it needs input rows`, t.span, [`start with a search, or with one of ${[...GENERATING_COMMANDS].map((g) => `\`| ${g}\``).join(', ')}`]);
    }
    this.advance(t);
    return this.finish(syntax(this, name, start));
  }

  private finish(c: Command): Command {
    this.expectCommandEnd(c.name);
    return c;
  }

  /** `[ pipeline ]`; the `[` is the next token. */
  subsearch(): Pipeline {
    const open = this.expectKind('lbracket', '`[` starting a subsearch');
    this.enter(open.span);
    this.bracketDepth++;
    try {
      const p = this.pipeline();
      const close = this.peek();
      if (close.kind !== 'rbracket') this.fail(SPL.unterminated, `expected \`]\` to close the subsearch opened here, found ${this.describe(close)}`, open.span);
      this.advance(close);
      return { ...p, span: { start: open.span.start, end: close.span.end } };
    } finally {
      this.bracketDepth--;
      this.depth--;
    }
  }

  private enter(span: Span): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      this.fail(SPL.unexpected, 'expression nested too deeply', span);
    }
  }

  // ───────────── search expressions (SPL.md §2) ─────────────

  /**
   * AND (explicit or juxtaposition) of OR-groups: in search, OR binds tighter than AND (§2.2).
   * Stops at the end of the command, a `)`, or an unquoted word in `stopWords` (tstats' `by`).
   */
  searchExpr(stopWords: string[] = []): SearchExpr | null {
    const terms: SearchExpr[] = [];
    const start = this.peek().span.start;
    for (;;) {
      const t = this.peek();
      if (this.atCommandEnd(t) || t.kind === 'rparen' || (t.kind === 'word' && stopWords.includes(t.text.toLowerCase()))) break;
      if (this.isWord(t, 'AND') && terms.length > 0) {
        this.advance(t);
        const n = this.peek();
        if (this.atCommandEnd(n) || n.kind === 'rparen') this.expected('a search term after `AND`', n);
        continue;
      }
      terms.push(this.searchOr(stopWords));
    }
    if (terms.length === 0) return null;
    if (terms.length === 1) return terms[0]!;
    return { kind: 'and', terms, span: this.spanFrom(start) };
  }

  private searchOr(stopWords: string[]): SearchExpr {
    const start = this.peek().span.start;
    const terms = [this.searchNot(stopWords)];
    while (this.isWord(this.peek(), 'OR')) {
      this.next();
      terms.push(this.searchNot(stopWords));
    }
    return terms.length === 1 ? terms[0]! : { kind: 'or', terms, span: this.spanFrom(start) };
  }

  private searchNot(stopWords: string[]): SearchExpr {
    const t = this.peek();
    if (this.isWord(t, 'NOT')) {
      this.advance(t);
      this.enter(t.span);
      try {
        const term = this.searchNot(stopWords);
        return { kind: 'not', term, span: this.spanFrom(t.span.start) };
      } finally {
        this.depth--;
      }
    }
    return this.searchPrimary(stopWords);
  }

  private searchPrimary(stopWords: string[]): SearchExpr {
    const t = this.peek();
    if (t.kind === 'lparen') {
      this.advance(t);
      this.enter(t.span);
      try {
        const inner = this.searchExpr();
        const close = this.peek();
        if (close.kind !== 'rparen') this.fail(SPL.unterminated, `expected \`)\` to close the group opened here, found ${this.describe(close)}`, t.span);
        this.advance(close);
        // `()` is an empty group: an AND of nothing, which constrains nothing. An empty subsearch
        // formats to `NOT ()` (§2.8), which therefore matches nothing.
        if (!inner) return { kind: 'and', terms: [], span: { start: t.span.start, end: close.span.end } };
        return inner;
      } finally {
        this.depth--;
      }
    }
    if (t.kind === 'lbracket') {
      const pipeline = this.subsearch();
      return { kind: 'subsearch', pipeline, span: pipeline.span };
    }
    if (t.kind !== 'word' && t.kind !== 'string') this.expected('a search term', t);
    if (t.kind === 'word' && (t.text === 'AND' || t.text === 'OR')) this.expected(`a search term before \`${t.text}\``, t);
    if (this.isWord(t, 'IN')) this.fail(SPL.unexpected, '`IN` must follow a field name and precede `(`: `field IN (a, b)`', t.span, ['quote it ("IN") to search for the word']);
    this.advance(t);
    const op = this.peek();
    if (op.kind === 'op' && SEARCH_OPS.has(op.text)) {
      this.advance(op);
      const value = this.searchValue(`a value after \`${op.text}\``);
      if (t.kind === 'word' && op.text === '=' && (t.text === 'earliest' || t.text === 'latest')) {
        return { kind: 'time', which: t.text, value: value.text, span: this.spanFrom(t.span.start) };
      }
      return { kind: 'compare', field: t.value, op: op.text as SearchCompareOp, value, span: this.spanFrom(t.span.start) };
    }
    if (op.kind === 'op') this.fail(SPL.unexpected, `unexpected operator \`${op.text}\` in search`, op.span, op.text === '==' ? ['search compares with `=`'] : []);
    if (this.isWord(op, 'IN') && this.peekAt(op.span.end).kind === 'lparen') {
      this.advance(op);
      const open = this.next();
      const values: SearchValue[] = [];
      for (;;) {
        const v = this.peek();
        if (v.kind === 'rparen') {
          this.advance(v);
          break;
        }
        if (v.kind === 'comma') {
          this.advance(v);
          continue;
        }
        if (v.kind !== 'word' && v.kind !== 'string') this.fail(SPL.unterminated, `expected a value or \`)\` in the IN list opened here, found ${this.describe(v)}`, open.span);
        values.push(this.searchValue('a value'));
      }
      return { kind: 'in', field: t.value, values, span: this.spanFrom(t.span.start) };
    }
    void stopWords;
    return { kind: 'word', value: { text: t.value, quoted: t.kind === 'string', span: t.span }, span: t.span };
  }

  /** A value: word or quoted string; a word glued to `(` keeps the balanced parentheses as text (§2.6). */
  searchValue(what: string): SearchValue {
    const t = this.peek();
    if (t.kind === 'string') {
      this.advance(t);
      return { text: t.value, quoted: true, span: t.span };
    }
    if (t.kind !== 'word') this.expected(what, t);
    this.advance(t);
    let end = t.span.end;
    if (this.text[end] === '(') {
      let depth = 0;
      let i = end;
      while (i < this.text.length) {
        const c = this.text[i]!;
        if (c === '"') {
          const s = scanSearch(this.text, i);
          i = s.span.end;
          continue;
        }
        if (c === '(') depth++;
        else if (c === ')' && --depth === 0) {
          i++;
          break;
        } else if (c === '|' || c === '[' || c === ']') break;
        i++;
      }
      if (depth === 0) {
        end = i;
        this.pos = end;
        this.lastEnd = end;
      }
    }
    return { text: this.text.slice(t.span.start, end), quoted: false, span: { start: t.span.start, end } };
  }

  // ───────────── eval / where expressions (SPL.md §3) ─────────────

  expr(): Expr {
    return this.exprOr();
  }

  private binary(op: BinaryOp, left: Expr, right: Expr): Expr {
    return { kind: 'binary', op, left, right, span: { start: left.span.start, end: right.span.end } };
  }
  private evalKeyword(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.text.toUpperCase()) && (t.text === t.text.toUpperCase() || t.text === t.text.toLowerCase());
  }

  private exprOr(): Expr {
    let left = this.exprAnd();
    for (let t = this.peekEval(); this.evalKeyword(t, 'OR', 'XOR'); t = this.peekEval()) {
      this.advance(t);
      left = this.binary(t.text.toUpperCase() as BinaryOp, left, this.exprAnd());
    }
    return left;
  }
  private exprAnd(): Expr {
    let left = this.exprNot();
    for (let t = this.peekEval(); this.evalKeyword(t, 'AND'); t = this.peekEval()) {
      this.advance(t);
      left = this.binary('AND', left, this.exprNot());
    }
    return left;
  }
  private exprNot(): Expr {
    const t = this.peekEval();
    if (this.evalKeyword(t, 'NOT')) {
      this.advance(t);
      this.enter(t.span);
      try {
        const operand = this.exprNot();
        return { kind: 'unary', op: 'NOT', operand, span: { start: t.span.start, end: operand.span.end } };
      } finally {
        this.depth--;
      }
    }
    return this.exprCompare();
  }
  private peekEvalAfter(t: Token): Token {
    return scanEval(this.text, t.span.end);
  }
  private exprCompare(): Expr {
    let left = this.exprConcat();
    for (;;) {
      const t = this.peekEval();
      if (t.kind === 'op' && ['=', '==', '!=', '<', '<=', '>', '>='].includes(t.text)) {
        this.advance(t);
        left = this.binary(t.text as BinaryOp, left, this.exprConcat());
      } else if (this.evalKeyword(t, 'LIKE')) {
        this.advance(t);
        left = this.binary('LIKE', left, this.exprConcat());
      } else if (this.evalKeyword(t, 'IN') && this.peekEvalAfter(t).kind === 'lparen') {
        this.advance(t);
        this.nextEval();
        const values = this.exprArgs();
        left = { kind: 'in', operand: left, values, span: { start: left.span.start, end: this.lastEnd } };
      } else {
        return left;
      }
    }
  }
  private exprConcat(): Expr {
    let left = this.exprAdd();
    for (let t = this.peekEval(); t.kind === 'op' && t.text === '.'; t = this.peekEval()) {
      this.advance(t);
      left = this.binary('.', left, this.exprAdd());
    }
    return left;
  }
  private exprAdd(): Expr {
    let left = this.exprMul();
    for (let t = this.peekEval(); t.kind === 'op' && (t.text === '+' || t.text === '-'); t = this.peekEval()) {
      this.advance(t);
      left = this.binary(t.text as BinaryOp, left, this.exprMul());
    }
    return left;
  }
  private exprMul(): Expr {
    let left = this.exprUnary();
    for (let t = this.peekEval(); t.kind === 'op' && (t.text === '*' || t.text === '/' || t.text === '%'); t = this.peekEval()) {
      this.advance(t);
      left = this.binary(t.text as BinaryOp, left, this.exprUnary());
    }
    return left;
  }
  private exprUnary(): Expr {
    const t = this.peekEval();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '!')) {
      this.advance(t);
      this.enter(t.span);
      try {
        const operand = this.exprUnary();
        const op = t.text === '!' ? 'NOT' : (t.text as '-' | '+');
        return { kind: 'unary', op, operand, span: { start: t.span.start, end: operand.span.end } };
      } finally {
        this.depth--;
      }
    }
    return this.exprPrimary();
  }
  /** Comma-separated expressions up to `)`; the `(` is consumed. */
  private exprArgs(): Expr[] {
    const args: Expr[] = [];
    if (this.peekEval().kind === 'rparen') {
      this.nextEval();
      return args;
    }
    for (;;) {
      args.push(this.expr());
      const t = this.peekEval();
      if (t.kind === 'comma') {
        this.advance(t);
        continue;
      }
      if (t.kind === 'rparen') {
        this.advance(t);
        return args;
      }
      this.fail(t.kind === 'eof' ? SPL.unterminated : SPL.unexpected, `expected \`,\` or \`)\` in an argument list, found ${this.describe(t)}`, t.span);
    }
  }
  private exprPrimary(): Expr {
    const t = this.peekEval();
    switch (t.kind) {
      case 'number':
        this.advance(t);
        return { kind: 'number', value: Number(t.text), text: t.text, span: t.span };
      case 'string':
        this.advance(t);
        return { kind: 'string', value: t.value, span: t.span };
      case 'field':
        this.advance(t);
        return { kind: 'field', name: t.value, quoted: true, span: t.span };
      case 'lparen': {
        this.advance(t);
        this.enter(t.span);
        try {
          const inner = this.expr();
          const close = this.peekEval();
          if (close.kind !== 'rparen') this.fail(SPL.unterminated, `expected \`)\` to close the group opened here, found ${this.describe(close)}`, t.span);
          this.advance(close);
          return inner;
        } finally {
          this.depth--;
        }
      }
      case 'word': {
        if (!/^[A-Za-z_@$]/.test(t.text)) break;
        this.advance(t);
        // `like(x, p)` and `in(x, a, b)` are functions too; only the logical keywords never are.
        if (this.peekEval().kind === 'lparen' && !this.evalKeyword(t, 'AND', 'OR', 'XOR', 'NOT')) {
          const open = this.nextEval();
          this.enter(open.span);
          try {
            const args = this.exprArgs();
            return { kind: 'call', name: t.text, args, span: { start: t.span.start, end: this.lastEnd } };
          } finally {
            this.depth--;
          }
        }
        if (this.evalKeyword(t, 'AND', 'OR', 'XOR', 'NOT', 'LIKE', 'IN')) this.fail(SPL.unexpected, `expected an operand, found keyword \`${t.text}\``, t.span);
        return { kind: 'field', name: t.text, quoted: false, span: t.span };
      }
      default:
        break;
    }
    this.check(t);
    return this.fail(t.kind === 'eof' ? SPL.expected : SPL.unexpected, `expected an expression, found ${this.describe(t)}`, t.span);
  }

  finishErrors(): void {
    if (this.errors.length) throw new TrailguardErrors(this.errors);
  }
}
