/**
 * What a lint rule is and what it sees. A rule is a small module with a code, a severity, a
 * one-line summary, a default hint and a `check` that returns findings; the registry
 * (lint/index.ts) lists them. `validate` runs every rule over every detection and baseline.
 */
import type { Span } from '../../errors.js';
import type { CompiledSearch } from '../../engine/session.js';
import type { FieldModel } from '../../cloudtrail/index.js';
import type { YamlFile } from '../../util/yaml.js';
import type { Content } from '../load.js';
import type { ContentSearch } from '../model.js';
import type { FilePosition } from '../positions.js';
import type { Severity } from '../problems.js';

/** Facts about the whole content that several rules need, computed once per run. */
export interface ContentIndex {
  /** Tables some content search writes with `outputlookup` (they exist once it has run). */
  writtenTables: Set<string>;
  /** Models some content search trains with `fit … into` (without an `app:`/`user:` prefix). */
  fittedModels: Set<string>;
}

export interface LintContext {
  content: Content;
  search: ContentSearch;
  /** Undefined when the search does not compile (rules that read the syntax tree then skip it). */
  compiled?: CompiledSearch;
  fieldModel: FieldModel;
  index: ContentIndex;
  /** The search's YAML file (for line numbers of metadata such as `mitre_attack_id`). */
  yaml(): YamlFile | undefined;
  /** File position of a span of the *expanded* search text (AST spans). */
  at(span: Span): FilePosition;
  /** File position of a span of the search text as written (macro calls, compile errors). */
  atOriginal(span: Span): FilePosition;
}

export interface LintFinding {
  message: string;
  /** Where, in the file; default: the line of `search:`. */
  position?: FilePosition;
  /** Overrides the rule's hint. */
  hint?: string;
}

export interface LintRule {
  /** Stable code, shown as `warning[code]` and usable for filtering. */
  code: string;
  severity: Severity;
  /** What the rule finds, for the docs and `validate --help`. */
  summary: string;
  /** The default fix. */
  hint: string;
  /** Run only on searches that compile (the rule reads the syntax tree). */
  needsAst: boolean;
  check(ctx: LintContext): LintFinding[];
}
