/** Public API of the SPL front end: text → tokens → (macros expanded) → AST → text. */
import { TrailguardError, TrailguardErrors, type SourceText } from '../errors.js';
import type { Pipeline } from './ast.js';
import { expandMacros, type MacroExpansion, type MacroTable } from './macros.js';
import { parsePipeline } from './parse.js';

export type * from './ast.js';
export { tokenize, stripComments, type Token, type TokenKind, type LexMode } from './lexer.js';
export { parsePipeline, parseSearchExpression, parseEvalExpression } from './parse.js';
export type { ParseOptions } from './parser.js';
export { printPipeline, printCommand, printExpr, printSearch, printTree, printJson } from './printer.js';
export { expandMacros, macroKey, splitMacroArgs, stripArgQuotes, type MacroDef, type MacroTable, type MacroExpansion } from './macros.js';
export { COMMAND_SYNTAX } from './syntax/index.js';
export { SPL as SPL_ERROR_CODES } from './codes.js';

export interface CompileOptions {
  macros: MacroTable;
  source?: SourceText;
  /** See ExpandOptions.unavailable. */
  unavailableMacro?: (name: string) => string | undefined;
}

export interface Compiled {
  pipeline: Pipeline;
  expansion: MacroExpansion;
}

/**
 * Expands macros, then parses. Spans in the returned AST are offsets into the expanded text
 * (`compileSplDetailed(...).expansion.text`); syntax errors are reported against the original
 * text (an error inside macro-produced text points at the macro call and quotes the expansion).
 */
export function compileSplDetailed(text: string, opts: CompileOptions): Compiled {
  const source = opts.source ?? { text };
  const expansion = expandMacros(text, opts.macros, { source, unavailable: opts.unavailableMacro });
  try {
    return { pipeline: parsePipeline(expansion.text, { source: { ...source, text: expansion.text } }), expansion };
  } catch (err) {
    if (!(err instanceof TrailguardErrors)) throw err;
    throw new TrailguardErrors(
      err.errors.map((e) => {
        const span = e.span ? expansion.toOriginal(e.span) : undefined;
        const at = e.span?.start ?? -1;
        const seg = expansion.segments.find((s) => !s.verbatim && at >= s.expanded.start && (at < s.expanded.end || at === s.expanded.end));
        const hints = seg ? [`in the expansion of \`${seg.macro}\`: ${expansion.text.slice(seg.expanded.start, seg.expanded.end)}`, ...e.hints] : e.hints;
        return new TrailguardError({ code: e.code, phase: e.phase, reason: e.reason, span, source, hints });
      }),
    );
  }
}

/** Expands macros and parses: the one call the engine and CLI use. */
export function compileSpl(text: string, opts: CompileOptions): Pipeline {
  return compileSplDetailed(text, opts).pipeline;
}

export { TrailguardError, TrailguardErrors };
