// Compiles the AssemblyScript in wasm/ into dist/*.wasm (run by `npm run build`):
// dist/member-index.wasm, the member index src/sources/member-index.ts loads.
import asc from 'assemblyscript/asc';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { error, stderr } = await asc.main([
  join(root, 'wasm', 'member-index.ts'),
  '--outFile', join(root, 'dist', 'member-index.wasm'),
  '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd',
]);
if (error) {
  process.stderr.write(stderr.toString());
  process.stderr.write(`build-wasm: ${error.message}\n`);
  process.exit(1);
}
