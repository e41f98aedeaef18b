/** Hash functions over the UTF-8 text of a single value: md5, sha1, sha256, sha512. */
import { nodeCrypto } from '../../util/lazy-require.js';
import type { FunctionDef, FunctionTable } from './types.js';
import { textOf } from '../ops.js';

function hash(algorithm: string): FunctionDef {
  return {
    minArgs: 1,
    maxArgs: 1,
    signature: `${algorithm}(text)`,
    impl: ([x]) => {
      const t = textOf(x!);
      return t === null ? null : nodeCrypto().createHash(algorithm).update(t, 'utf8').digest('hex');
    },
  };
}

export const CRYPTO: FunctionTable = {
  md5: hash('md5'),
  sha1: hash('sha1'),
  sha256: hash('sha256'),
  sha512: hash('sha512'),
};
