import { parsePipeline, printPipeline } from '../src/spl/index.js';
const strip = (x: any) => JSON.stringify(x, (k, v) => k === 'span' && typeof v === 'object' ? undefined : v);
for (const t of process.argv.slice(2)) { const p = parsePipeline(t); const pr = printPipeline(p); console.log(pr); const q = parsePipeline(pr); console.log(strip(p) === strip(q) ? 'same' : 'DIFF\n' + strip(p) + '\n' + strip(q)); }
