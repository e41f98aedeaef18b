/** Sort keys: `-f`, `+f`, `- f`, `num(f)`, `str(f)`, `ip(f)`, `auto(f)`, trailing `desc`. */
import type { SortKey } from '../ast.js';
import type { Parser } from '../parser.js';

const MODES = new Set(['num', 'str', 'ip', 'auto']);

export function sortKeys(p: Parser): SortKey[] {
  const keys: SortKey[] = [];
  for (;;) {
    let t = p.peek();
    if (p.atCommandEnd(t)) break;
    if (t.kind === 'comma') {
      p.advance(t);
      continue;
    }
    if (p.isWordCI(t, 'd', 'desc') && keys.length > 0) {
      p.advance(t);
      keys[keys.length - 1] = { ...keys[keys.length - 1]!, desc: !keys[keys.length - 1]!.desc };
      continue;
    }
    let desc = false;
    let text = t.kind === 'word' ? t.text : '';
    if (p.isWord(t, '-', '+')) {
      p.advance(t);
      desc = t.text === '-';
      t = p.peek();
      text = t.kind === 'word' ? t.text : '';
    } else if (t.kind === 'word' && (text.startsWith('-') || text.startsWith('+')) && text.length > 1) {
      desc = text.startsWith('-');
      p.advance(t);
      keys.push({ field: text.slice(1), desc });
      continue;
    }
    const after = p.peekAt(t.span.end);
    if (t.kind === 'word' && MODES.has(text.toLowerCase()) && after.kind === 'lparen' && !after.spaceBefore) {
      p.advance(t);
      p.advance(after);
      const inner = p.parenText();
      keys.push({ field: inner.text, desc, mode: text.toLowerCase() as SortKey['mode'] });
      continue;
    }
    keys.push({ field: p.fieldName('a sort field'), desc });
  }
  return keys;
}
