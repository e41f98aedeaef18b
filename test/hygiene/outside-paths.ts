/**
 * Finds code that reads a path outside the repository, so that `npm test` on a bare clone cannot
 * depend on files beside it. The sources are parsed with the TypeScript parser and every string
 * (and template piece) is looked at, comments excluded:
 *
 * - a module specifier (`import`/`export … from`, `import()`, `require()`, `import.meta.resolve()`,
 *   `new URL(…, import.meta.url)`) is resolved against the file's place in the repository and
 *   must stay inside it;
 * - any other string must not be an absolute path into a machine's work or home areas
 *   (`/work/…`, `/home/…`, `/Users/…`, `C:\…`, `~/…`);
 * - nor contain a `..` path segment (`'../shared/data'`, `` `${root}/../x` ``, or a bare `'..'`
 *   handed to a call such as `join(packageRoot(), '..', …)`). Paths inside the repository are
 *   built from the package root (`packagePath()`, `repoPath()`, `fixturePath()`), so a `..` is
 *   never needed. Not paths, and left alone: a bare `'..'` compared with something
 *   (`name === '..'`), and text with a line break (a YAML document that names `../../etc/passwd`
 *   to test that it is refused).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

export interface Finding {
  /** Path relative to the repository root, with `/`. */
  file: string;
  line: number;
  column: number;
  text: string;
  reason: string;
}

const ABSOLUTE_OUTSIDE = /^(?:\/(?:work|home|Users|root|mnt|srv|opt|data)(?:\/|$)|[A-Za-z]:[\\/]|~\/)/;
/** A `..` path segment (regexes rather than strings here, so that this file passes its own check). */
const UP_SEGMENT = /(?:^|[\\/])\.\.(?:[\\/]|$)/;
const ONLY_UP = /^\.\.$/;
const ESCAPES = /^\.\.(?:\/|$)/;
const CODE_FILE = /\.(?:[cm]?ts|[cm]?js)$/;

function isImportMetaUrl(e: ts.Expression | undefined): boolean {
  return !!e && ts.isPropertyAccessExpression(e) && e.name.text === 'url' && ts.isMetaProperty(e.expression);
}

/** The string is a module or file specifier resolved against the file itself. */
function isModuleSpecifier(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if ((ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) && parent.moduleSpecifier === node) return true;
  if (ts.isExternalModuleReference(parent)) return true;
  if (ts.isLiteralTypeNode(parent) && parent.parent && ts.isImportTypeNode(parent.parent)) return true;
  if (ts.isCallExpression(parent) && parent.arguments[0] === node) {
    const callee = parent.expression;
    if (callee.kind === ts.SyntaxKind.ImportKeyword) return true;
    if (ts.isIdentifier(callee) && callee.text === 'require') return true;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve' && ts.isMetaProperty(callee.expression)) return true;
  }
  if (ts.isNewExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'URL' && parent.arguments?.[0] === node) {
    return isImportMetaUrl(parent.arguments[1]);
  }
  return false;
}

/** A bare `'..'` is a path only where it is handed on (a call or `new` argument, an array element). */
function passedOn(node: ts.Node): boolean {
  const parent = node.parent;
  return !!parent && (ts.isCallExpression(parent) || ts.isNewExpression(parent) || ts.isArrayLiteralExpression(parent) || ts.isSpreadElement(parent));
}

/** Findings in one source text; `file` is its path relative to the repository root. */
export function outsidePathFindings(text: string, file: string): Finding[] {
  const kind = /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const out: Finding[] = [];
  const report = (node: ts.Node, value: string, reason: string) => {
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    out.push({ file, line: line + 1, column: character + 1, text: value, reason });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const value = node.text;
      if (ts.isStringLiteralLike(node) && isModuleSpecifier(node)) {
        if (value.startsWith('.')) {
          const target = posix.normalize(posix.join(posix.dirname(file), value));
          if (ESCAPES.test(target)) report(node, value, `resolves to ${target}, outside the repository`);
        }
      } else if (ABSOLUTE_OUTSIDE.test(value)) {
        report(node, value, 'an absolute path outside the repository');
      } else if (!/[\r\n]/.test(value) && UP_SEGMENT.test(value) && (!ONLY_UP.test(value) || passedOn(node))) {
        // A string with a line break is text (YAML, a message), not a path.
        report(node, value, 'a `..` path segment: build paths inside the repository from packagePath()/repoPath()/fixturePath()');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function codeFiles(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) codeFiles(p, out);
    else if (CODE_FILE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every finding in the code files under `dirs` (relative to `root`), and how many files were read. */
export function scanRepository(root: string, dirs: string[]): { files: number; findings: Finding[] } {
  const files = dirs.flatMap((d) => codeFiles(join(root, d), []));
  const findings = files.flatMap((f) => outsidePathFindings(readFileSync(f, 'utf8'), relative(root, f).split(sep).join('/')));
  return { files: files.length, findings };
}
