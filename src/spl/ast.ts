/**
 * The SPL syntax tree: the contract between the parser (src/spl/), the evaluator (src/eval/) and
 * the engine (src/commands/, src/engine/). Nodes are immutable plain objects with a literal `kind`
 * and a `span` (offsets into the *expanded* search text, see MacroExpansion).
 *
 * Additions are fine; renaming or removing a field breaks three layers at once.
 */
import type { Span } from '../errors.js';

// ───────────────────────── eval / where expressions (SPL.md §3) ─────────────────────────

export type BinaryOp =
  | 'OR' | 'XOR' | 'AND'
  | '=' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE'
  | '.'
  | '+' | '-'
  | '*' | '/' | '%';

export type Expr =
  | { kind: 'string'; value: string; span: Span }
  /** `text` is the literal as written (`1.50`), `value` its number. */
  | { kind: 'number'; value: number; text: string; span: Span }
  /** `quoted`: written as 'single quoted' (SPL.md §3.1). An unquoted a.b is NOT a field (§3.2). */
  | { kind: 'field'; name: string; quoted: boolean; span: Span }
  | { kind: 'call'; name: string; args: Expr[]; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'unary'; op: 'NOT' | '-' | '+'; operand: Expr; span: Span }
  /** `x IN ("a", "b")` inside where/eval. */
  | { kind: 'in'; operand: Expr; values: Expr[]; span: Span };

// ───────────────────────── search expressions (SPL.md §2) ─────────────────────────

/** A value on the right of a search term: the text after unquoting, and whether it was quoted. */
export interface SearchValue {
  text: string;
  quoted: boolean;
  span: Span;
}

export type SearchCompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type SearchExpr =
  | { kind: 'and'; terms: SearchExpr[]; span: Span }
  | { kind: 'or'; terms: SearchExpr[]; span: Span }
  | { kind: 'not'; term: SearchExpr; span: Span }
  /** `field=value`, `field!=value`, `field<n`…; `field=*` is a compare with text `*`. */
  | { kind: 'compare'; field: string; op: SearchCompareOp; value: SearchValue; span: Span }
  | { kind: 'in'; field: string; values: SearchValue[]; span: Span }
  /** Bare word or quoted phrase matched against `_raw` (§2.7). `*` alone matches everything. */
  | { kind: 'word'; value: SearchValue; span: Span }
  /** `[ … ]` used as a filter (§2.8). */
  | { kind: 'subsearch'; pipeline: Pipeline; span: Span }
  /** Inline `earliest=` / `latest=` (§2.9); `value` is the modifier text (`-1h`, `@d`, epoch). */
  | { kind: 'time'; which: 'earliest' | 'latest'; value: string; span: Span };

// ───────────────────────── pipelines and commands ─────────────────────────

export interface Pipeline {
  kind: 'pipeline';
  commands: Command[];
  span: Span;
}

/** `key=value` options as written (`append=t`, `summariesonly=false`); values unquoted. */
export type Options = Record<string, string>;

/** One aggregation in stats/eventstats/streamstats/tstats: `fn(arg) [as name]`. */
export interface AggCall {
  /** Lower-case function name: count, dc, values, perc, … (`perc95` → fn 'perc', param 95). */
  fn: string;
  /** Field argument (may contain `*` wildcards), or null for `count` with no argument. */
  field: string | null;
  /** `count(eval(x>5))`: the eval expression argument, when used. */
  evalArg?: Expr;
  /** Numeric parameter of percentile-style functions (`perc95`, `p90`, `exactperc99`). */
  param?: number;
  /** `as` name (may contain `*` when the argument has one), or null to use the default name. */
  as: string | null;
  /** The call as written, normalised (`values(eventName)`, `count`): the default output name. */
  text: string;
  span: Span;
}

export interface SortKey {
  field: string;
  desc: boolean;
  /** `num(x)`, `str(x)`, `ip(x)`, `auto(x)`; absent = auto. */
  mode?: 'auto' | 'num' | 'str' | 'ip';
}

export interface FieldAs {
  field: string;
  as: string | null;
}

interface CommandBase<N extends string> {
  kind: 'command';
  name: N;
  span: Span;
}

export interface SearchCommand extends CommandBase<'search'> {
  /** null for an empty `search` (matches everything). */
  expr: SearchExpr | null;
}
export interface WhereCommand extends CommandBase<'where'> {
  expr: Expr;
}
export interface EvalCommand extends CommandBase<'eval'> {
  assignments: { field: string; expr: Expr; span: Span }[];
}
export interface StatsCommand extends CommandBase<'stats' | 'eventstats' | 'streamstats'> {
  options: Options;
  aggs: AggCall[];
  by: string[];
}
export interface TstatsCommand extends CommandBase<'tstats'> {
  options: Options;
  aggs: AggCall[];
  /** `from datamodel=Change` → { datamodel: 'Change' }; `datamodel=Change.All_Changes` → dataset too. */
  from: { datamodel: string; dataset?: string } | null;
  where: SearchExpr | null;
  by: string[];
  /** `by _time span=1h`: the bin span text. */
  timeSpan?: string;
}
export interface TableCommand extends CommandBase<'table'> {
  fields: string[];
}
export interface FieldsCommand extends CommandBase<'fields'> {
  mode: '+' | '-';
  fields: string[];
}
export interface RenameCommand extends CommandBase<'rename'> {
  pairs: { from: string; to: string }[];
}
export interface DedupCommand extends CommandBase<'dedup'> {
  count: number;
  fields: string[];
  options: Options;
  sortby: SortKey[];
}
export interface SortCommand extends CommandBase<'sort'> {
  /** `sort 100 x` / `sort limit=100 x`; 10 000 when not written (Splunk's default); 0 = no limit. */
  limit: number;
  keys: SortKey[];
}
export interface HeadCommand extends CommandBase<'head'> {
  count: number;
  /** `head (x>5)`: stop at the first row where the expression is not true. */
  expr?: Expr;
  options: Options;
}
export interface TailCommand extends CommandBase<'tail'> {
  count: number;
}
export interface FillnullCommand extends CommandBase<'fillnull'> {
  value: string;
  /** Empty = every field present in any row. */
  fields: string[];
}
export interface LookupCommand extends CommandBase<'lookup'> {
  table: string;
  options: Options;
  /** `field [as eventField]`: `field` is the lookup column, `as` the event field (default same). */
  keys: FieldAs[];
  outputMode: 'OUTPUT' | 'OUTPUTNEW' | null;
  /** `col [as eventField]`; empty with outputMode null = every non-key column. */
  outputs: FieldAs[];
}
export interface InputlookupCommand extends CommandBase<'inputlookup'> {
  table: string;
  options: Options;
  where: SearchExpr | null;
}
export interface OutputlookupCommand extends CommandBase<'outputlookup'> {
  table: string;
  options: Options;
}
export interface ConvertCommand extends CommandBase<'convert'> {
  options: Options;
  /** `ctime(x) [as y]`; fn lower-case. */
  conversions: { fn: string; field: string; as: string | null }[];
}
export interface SpathCommand extends CommandBase<'spath'> {
  input: string | null;
  output: string | null;
  path: string | null;
}
export interface MvexpandCommand extends CommandBase<'mvexpand'> {
  field: string;
  options: Options;
}
export interface BinCommand extends CommandBase<'bin' | 'bucket'> {
  field: string;
  as: string | null;
  options: Options;
}
export interface RexCommand extends CommandBase<'rex'> {
  field: string;
  regex: string;
  options: Options;
}
export interface JoinCommand extends CommandBase<'join'> {
  options: Options;
  fields: string[];
  subsearch: Pipeline;
}
export interface AppendCommand extends CommandBase<'append'> {
  options: Options;
  subsearch: Pipeline;
}
export interface IplocationCommand extends CommandBase<'iplocation'> {
  field: string;
  options: Options;
}
export interface ReturnCommand extends CommandBase<'return'> {
  count: number;
  /** `x` → x="v"; `alias=x` → alias="v"; `$x` → the value alone. */
  items: { field: string; as: string | null; valueOnly: boolean }[];
}
export interface FormatCommand extends CommandBase<'format'> {
  options: Options;
  /** Optional six positional strings: row prefix, column prefix, column sep, column end, row sep, row end. */
  positional: string[];
}
export interface MakeresultsCommand extends CommandBase<'makeresults'> {
  options: Options;
}
/**
 * `fit <Algorithm> <feature>… [by "<a>,<b>"] [into <model>] [as <name>] [key=value…]` (MLTK.md §2):
 * clauses in any order. `into` keeps an `app:`/`user:` prefix as written.
 */
export interface FitCommand extends CommandBase<'fit'> {
  algorithm: string;
  features: string[];
  /** By-fields, split on `,` (trimmed); empty without a `by` clause. */
  by: string[];
  into: string | null;
  as: string | null;
  options: Options;
}
/** `apply <model> [key=value…] [as <name>]` (MLTK.md §2, §3.6). */
export interface ApplyCommand extends CommandBase<'apply'> {
  model: string;
  as: string | null;
  options: Options;
}
/** `summary <model>`: the model's parameters as rows; a generating command (MLTK.md §3.8). */
export interface SummaryCommand extends CommandBase<'summary'> {
  model: string;
  options: Options;
}
/** `anomalydetection [method=… action=… pthresh=… cutoff=…] [<field>…]` (MLTK.md §4). */
export interface AnomalydetectionCommand extends CommandBase<'anomalydetection'> {
  options: Options;
  fields: string[];
}
/** `outlier [action=… param=… uselower=… mark=…] [<field>…]` (MLTK.md §5). */
export interface OutlierCommand extends CommandBase<'outlier'> {
  options: Options;
  fields: string[];
}
/** `makecontinuous [<field>] [span=… start=… end=…]`, options before or after the field (MLTK.md §6). */
export interface MakecontinuousCommand extends CommandBase<'makecontinuous'> {
  field: string | null;
  options: Options;
}

export type Command =
  | SearchCommand
  | WhereCommand
  | EvalCommand
  | StatsCommand
  | TstatsCommand
  | TableCommand
  | FieldsCommand
  | RenameCommand
  | DedupCommand
  | SortCommand
  | HeadCommand
  | TailCommand
  | FillnullCommand
  | LookupCommand
  | InputlookupCommand
  | OutputlookupCommand
  | ConvertCommand
  | SpathCommand
  | MvexpandCommand
  | BinCommand
  | RexCommand
  | JoinCommand
  | AppendCommand
  | IplocationCommand
  | ReturnCommand
  | FormatCommand
  | MakeresultsCommand
  | FitCommand
  | ApplyCommand
  | SummaryCommand
  | AnomalydetectionCommand
  | OutlierCommand
  | MakecontinuousCommand;

export type CommandName = Command['name'];

/** Commands that can start a pipeline (`| tstats …`). */
export const GENERATING_COMMANDS: ReadonlySet<string> = new Set(['tstats', 'inputlookup', 'makeresults', 'summary']);
