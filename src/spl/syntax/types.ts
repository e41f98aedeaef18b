/** The shape of a command's argument parser: called after the command name has been consumed. */
import type { Command } from '../ast.js';
import type { Parser } from '../parser.js';

export type CommandSyntax = (p: Parser, name: string, start: number) => Command;
