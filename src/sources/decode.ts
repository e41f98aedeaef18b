/** Raw byte chunks → decompressed byte chunks. Gzip is recognised by its magic bytes, not the name. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { nodeZlib } from '../util/lazy-require.js';

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** A failure while decompressing: the stream is cut off (`truncated`) or corrupt. */
export class DecodeError extends Error {
  constructor(readonly truncated: boolean, message: string) {
    super(message);
  }
}

/**
 * Yields the decompressed bytes of `source` (as is, when it is not gzip). A chunk yielded as is
 * is the source's own buffer, valid until the next one is asked for.
 */
export async function* decodedChunks(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < 2) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    // A chunk kept while the next is read is a copy: a file's chunks arrive in one reused buffer.
    head.push(headLength + b.length < 2 ? Buffer.from(b) : b);
    headLength += b.length;
  }
  const first = head.length === 1 ? head[0]! : Buffer.concat(head);
  if (!isGzip(first)) {
    if (first.length > 0) yield first;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) {
      yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    }
    return;
  }
  // Copies: the stream reads ahead, and a file's chunks arrive in one reused buffer.
  async function* compressed(): AsyncGenerator<Buffer> {
    yield Buffer.from(first);
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) {
      yield Buffer.from(r.value);
    }
  }
  const gunzip = nodeZlib().createGunzip();
  const piping = pipeline(Readable.from(compressed()), gunzip);
  piping.catch(() => undefined); // the same error surfaces below, from the gunzip iterator
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)) {
      throw new DecodeError(true, 'gzip data is truncated (unexpected end of file)');
    }
    if (typeof err.code === 'string' && err.code.startsWith('Z_')) throw new DecodeError(false, `gzip data is corrupt: ${err.message}`);
    throw e;
  }
}
