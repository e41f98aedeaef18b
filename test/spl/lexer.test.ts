import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripComments, tokenize } from '../../src/spl/index.js';

const kinds = (text: string, mode: 'search' | 'eval' = 'search') => tokenize(text, mode).map((t) => `${t.kind}:${t.value}`);

test('§2.1 search mode: a.b=c* is word, =, word', () => {
  assert.deepEqual(kinds('a.b=c*'), ['word:a.b', 'op:=', 'word:c*', 'eof:']);
});

test('§6.1 search mode: -70m@m is one word', () => {
  assert.deepEqual(kinds('earliest=-70m@m'), ['word:earliest', 'op:=', 'word:-70m@m', 'eof:']);
});

test('§2.5 search mode: != splits a word, a lone ! does not', () => {
  assert.deepEqual(kinds('a!=b c!d'), ['word:a', 'op:!=', 'word:b', 'word:c!d', 'eof:']);
});

test('§3.2 eval mode: a.b is identifier, ., identifier; numbers are numbers', () => {
  assert.deepEqual(kinds('a.b+1.5', 'eval'), ['word:a', 'op:.', 'word:b', 'op:+', 'number:1.5', 'eof:']);
});

test('§3.1 eval mode: single quotes make a field token, double quotes a string', () => {
  assert.deepEqual(kinds(`'x.y' "s\\"q"`, 'eval'), ['field:x.y', 'string:s"q', 'eof:']);
});

test('§2.3 string escapes: \\" and \\\\ are unescaped, other backslashes kept', () => {
  assert.deepEqual(kinds('"a\\"b\\\\c\\d"'), ['string:a"b\\c\\d', 'eof:']);
});

test('pipes, brackets, parentheses, commas are their own tokens', () => {
  assert.deepEqual(kinds('[a|b](c,d)').map((k) => k.split(':')[0]), ['lbracket', 'word', 'pipe', 'word', 'rbracket', 'lparen', 'word', 'comma', 'word', 'rparen', 'eof']);
});

test('tokens carry spans and spaceBefore', () => {
  const [a, b] = tokenize('  ab  "c"');
  assert.deepEqual([a!.span, a!.spaceBefore, b!.span, b!.spaceBefore], [{ start: 2, end: 4 }, true, { start: 6, end: 9 }, true]);
});

test('unterminated string is flagged on the token', () => {
  const [t] = tokenize('"abc');
  assert.match(t!.error!, /unterminated string/);
});

test('backtick macro left in the text is one macro token', () => {
  assert.deepEqual(kinds('`drop_dm_object_name("All_Changes")` x'), ['macro:drop_dm_object_name("All_Changes")', 'word:x', 'eof:']);
});

test('``` comments ``` are blanked keeping offsets and newlines', () => {
  assert.equal(stripComments('a ```x\ny``` b'), 'a     \n     b');
  assert.deepEqual(kinds('a ```c``` b'), ['word:a', 'word:b', 'eof:']);
});
